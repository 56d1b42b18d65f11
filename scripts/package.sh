#!/usr/bin/env bash
# Builds the installable packages into target/packages/:
#   salesplan_<version>_amd64.deb         the desktop app (Salesplan in the menu) and the `salesplan` CLI
#   salesplan-server_<version>_amd64.deb  head office: the server, its systemd unit and environment file
#   Salesplan-<version>-1.x86_64.rpm      the app's package for Fedora and the like (release only, untested)
#
#   scripts/package.sh           release builds: what users install
#   scripts/package.sh --debug   debug builds (minutes faster): what the package test installs
#
# The bundler gets its own copy of the top-level tauri.conf.json for the build
# (scripts/bundler-config.mjs says why), removed again afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

profile=release
cargo_profile=(--release)
tauri_profile=()
# The .rpm too for a release (the bundler makes it without downloads; it cannot be installed here to test).
bundles=deb,rpm
if [ "${1:-}" = --debug ]; then
  profile=debug
  cargo_profile=()
  tauri_profile=(--debug)
  bundles=deb
fi
# A package's field from the workspace's Cargo metadata (read once).
metadata=$(cargo metadata --no-deps --format-version 1)
field() {
  node -e 'const [, name, key] = process.argv; const found = JSON.parse(require("fs").readFileSync(0, "utf8")).packages.find((p) => p.name === name)[key]; console.log(Array.isArray(found) ? found[0] : found)' "$1" "$2" <<<"$metadata"
}
version=$(field salesplan-desktop version)
out=target/packages
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.rpm

echo "==> the UI"
(cd ui && npx vite build --logLevel warn)
echo "==> the CLI and the server ($profile)"
cargo build "${cargo_profile[@]}" --quiet -p salesplan-cli -p salesplan-server

echo "==> the desktop app's package"
generated=src-tauri/tauri.conf.json
trap 'rm -f "$generated"' EXIT
node scripts/bundler-config.mjs "$profile"
(cd src-tauri && ../ui/node_modules/.bin/tauri build "${tauri_profile[@]}" --bundles "$bundles" --ci)
arch=$(dpkg --print-architecture)
bundled=target/"$profile"/bundle/deb/Salesplan_"${version}"_"$arch".deb
if [ "$profile" = release ]; then
  # The bundler leaves the symbols in and compresses with gzip: stripped and
  # recompressed with xz the package is 28.9 MB → under 20 (docs/BENCHMARKS.md).
  unpacked=$(mktemp -d)
  dpkg-deb -R "$bundled" "$unpacked"
  strip --strip-unneeded "$unpacked"/usr/bin/*
  (cd "$unpacked" && find usr -type f -exec md5sum {} + >DEBIAN/md5sums)
  sed -i "s/^Installed-Size: .*/Installed-Size: $(du -sk --exclude=DEBIAN "$unpacked" | cut -f1)/" "$unpacked/DEBIAN/control"
  dpkg-deb -Zxz --root-owner-group -b "$unpacked" "$out/salesplan_${version}_$arch.deb" >/dev/null
  rm -rf "$unpacked"
  cp target/release/bundle/rpm/Salesplan-"$version"-1.*.rpm "$out/"
else
  cp "$bundled" "$out/salesplan_${version}_$arch.deb"
fi

echo "==> the server's package"
stage=$(mktemp -d)
chmod 755 "$stage"
trap 'rm -f "$generated"; rm -rf "$stage"' EXIT
install -Dm755 target/"$profile"/salesplan-server "$stage/usr/bin/salesplan-server"
install -Dm644 packaging/server/salesplan-server.service "$stage/lib/systemd/system/salesplan-server.service"
install -Dm640 packaging/server/server.env "$stage/etc/salesplan-server/server.env"
install -Dm644 README.md "$stage/usr/share/doc/salesplan-server/README"
install -d "$stage/DEBIAN"
install -m755 packaging/server/postinst packaging/server/prerm packaging/server/postrm "$stage/DEBIAN/"
echo /etc/salesplan-server/server.env >"$stage/DEBIAN/conffiles"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: salesplan-server
Version: $version
Architecture: $arch
Maintainer: $(field salesplan-server authors)
Section: net
Priority: optional
Depends: libc6, adduser
Recommends: postgresql
Installed-Size: $(du -sk "$stage" | cut -f1)
Description: Salesplan head office: the sync server
 Laptops running Salesplan send their changes here and receive everyone
 else's. Keeps the company's ledger in PostgreSQL, checks every change a
 laptop sends against the same rules the laptop applies, and serves HTTPS.
 Configure /etc/salesplan-server/server.env, then
 systemctl enable --now salesplan-server.
CONTROL
dpkg-deb --build --root-owner-group "$stage" "$out/salesplan-server_${version}_$arch.deb" >/dev/null

ls -l "$out"
