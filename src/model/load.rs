//! Entry point of the loaders: bytes in, a [`Tree`] or a precise [`LoadError`] out.
