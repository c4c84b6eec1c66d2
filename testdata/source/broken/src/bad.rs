pub fn helper() -> u32 {
    let x = ;
    x
}
