//! The Tauri config lives at the repository root; each IPC command gets a generated
//! `allow-…` permission that `capabilities/default.json` grants to the main window.

include!("src/commands.rs");

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
