// Writes src-tauri/tauri.conf.json for the Tauri bundler from the top-level
// tauri.conf.json, the only config the project keeps. The bundler works on a
// crate folder (a tauri.conf.json next to a Cargo.toml with a [package]), the
// app's build reads the config from the top level: so the bundler's copy is
// made here, its paths rebased one folder down, and deleted after the build.
//
//   node scripts/bundler-config.mjs release|debug [extra icons…]
import { readFileSync, writeFileSync } from "node:fs";

const [profile = "release", ...extraIcons] = process.argv.slice(2);
const config = JSON.parse(readFileSync("tauri.conf.json", "utf8"));
const down = (path) => `../${path}`;
config.build.frontendDist = down(config.build.frontendDist);
// The UI is built before the bundler runs; these would run from the wrong folder.
delete config.build.beforeBuildCommand;
delete config.build.beforeDevCommand;
config.bundle.icon = [...config.bundle.icon.map(down), ...extraIcons];
for (const format of ["deb", "rpm"]) {
  const files = config.bundle.linux[format].files;
  for (const [into, from] of Object.entries(files)) files[into] = down(from).replace("/release/", `/${profile}/`);
}
writeFileSync("src-tauri/tauri.conf.json", `${JSON.stringify(config, null, 2)}\n`);
