//! README's key table is the keymap's: the table between the `keys` markers
//! must be exactly what `keymap::markdown()` makes. `DDSP_BLESS_README=1`
//! rewrites it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

const START: &str = "<!-- keys:start -->\n";
const END: &str = "<!-- keys:end -->";

#[test]
fn readme_key_table_is_the_keymap() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find(START).expect("README has a keys:start marker") + START.len();
    let end = readme.find(END).expect("README has a keys:end marker");
    let table = ddsp::tui::keymap::markdown();
    if std::env::var_os("DDSP_BLESS_README").is_some() {
        let fixed = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write("README.md", fixed).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "README's key table differs from the keymap; DDSP_BLESS_README=1 cargo test --test keys_doc rewrites it"
    );
}
