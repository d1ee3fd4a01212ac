#!/usr/bin/env bash
# Installs the Debian packages Dampingi needs when they are missing (needs root or sudo).
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
