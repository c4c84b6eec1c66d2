//! Typed indices into the run's arenas (templates, resources, functions, binaries,
//! packages), as ruff's `newtype_index!` and oxc's `define_index_type!` do: an index into one
//! list cannot be used for another, and a signature says which list it means.

/// Declares `pub struct $name(u32)` indexing `$item`s, with `Index` on `[$item]` and
/// `Vec<$item>`.
macro_rules! index_type {
    ($(#[$doc:meta])* $vis:vis struct $name:ident for $item:ty;) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis struct $name(u32);

        impl $name {
            /// The id of the item at `index`. Lists never reach 2^32 items (file sizes and
            /// counts are bounded long before, see `limits`).
            pub fn new(index: usize) -> Self {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// Every item of `items` with its id.
            pub fn enumerate(items: &[$item]) -> impl Iterator<Item = ($name, &$item)> {
                items.iter().enumerate().map(|(i, item)| ($name::new(i), item))
            }
        }

        impl std::ops::Index<$name> for [$item] {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.index()]
            }
        }

        impl std::ops::Index<$name> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.index()]
            }
        }
    };
}
pub(crate) use index_type;
