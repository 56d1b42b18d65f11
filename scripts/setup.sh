#!/usr/bin/env bash
# Installs what Salesplan needs to build, run and test, skipping what is there:
# Debian packages (WebKitGTK, its WebDriver, Xvfb, PostgreSQL for the server tests,
# D-Bus and GNOME Keyring for the keychain test, faketime for the tests at other dates,
# LibreOffice Calc without a GUI for the spreadsheet round-trip test),
# tauri-driver, the UI's npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential pkg-config libssl-dev libdbus-1-dev libwebkit2gtk-4.1-dev libxdo-dev librsvg2-dev webkit2gtk-driver xvfb postgresql openssl dbus gnome-keyring faketime curl libreoffice-calc-nogui)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "==> installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing; install Rust (rustup) and Node.js 20+ first" >&2; exit 1; }
done

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
