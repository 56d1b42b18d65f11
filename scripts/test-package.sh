#!/usr/bin/env bash
# The packages as a user gets them: builds them (debug builds, to keep CI short),
# installs the app's .deb with apt, runs the installed CLI (--version, demo) and
# the installed app under Xvfb until it shows the sign-in and signs in, removes
# the package and checks nothing of it stays; installs the server's .deb, checks
# its systemd unit with systemd-analyze and its user, and purges it.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

scripts/package.sh --debug
app_deb=$(ls target/packages/salesplan_*.deb)
server_deb=$(ls target/packages/salesplan-server_*.deb)
version=$(dpkg-deb --field "$app_deb" Version)

echo "==> installing $app_deb"
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "./$app_deb" >/dev/null
for file in /usr/bin/salesplan /usr/bin/salesplan-desktop /usr/share/applications/Salesplan.desktop; do
  [ -e "$file" ] || { echo "error: the package did not install $file" >&2; exit 1; }
done
grep -q '^Exec=salesplan-desktop' /usr/share/applications/Salesplan.desktop
[ "$(/usr/bin/salesplan --version)" = "salesplan $version" ]
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/salesplan --db "$work/demo.db" demo >/dev/null
SALESPLAN_PASSWORD=salesplan-demo /usr/bin/salesplan --db "$work/demo.db" --user admin users list | grep -q '^sam '

echo "==> the installed app under Xvfb"
SALESPLAN_APP=/usr/bin/salesplan-desktop node --test --test-reporter=spec e2e/package.mjs

echo "==> removing it"
"${sudo_cmd[@]}" apt-get remove -y -qq salesplan >/dev/null
for file in /usr/bin/salesplan /usr/bin/salesplan-desktop /usr/share/applications/Salesplan.desktop; do
  [ ! -e "$file" ] || { echo "error: $file stayed after removal" >&2; exit 1; }
done

echo "==> the server's package"
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "./$server_deb" >/dev/null
systemd-analyze verify /lib/systemd/system/salesplan-server.service
getent passwd salesplan >/dev/null
[ "$(stat -c '%U:%G %a' /etc/salesplan-server/server.env)" = "root:salesplan 640" ]
/usr/bin/salesplan-server --version | grep -q "^salesplan-server $version$"
"${sudo_cmd[@]}" apt-get purge -y -qq salesplan-server >/dev/null
if getent passwd salesplan >/dev/null; then echo "error: the user salesplan stayed after purge" >&2; exit 1; fi
[ ! -e /usr/bin/salesplan-server ] || { echo "error: salesplan-server stayed after purge" >&2; exit 1; }

ls -l target/packages
echo "packages: installed, run and removed"
