#!/usr/bin/env bash
# Installs the Debian packages the tests need (Chromium for the UI tests; iproute2, ping and
# tcpdump for the kernel conformance suite; tshark to read captures back; zsh to run its completion
# script; a Japanese font so the Japanese UI renders in screenshots). Idempotent: does nothing when
# all are present.
set -euo pipefail
pkgs=(chromium fonts-ipafont-gothic iproute2 iputils-ping iputils-arping tcpdump tshark bridge-utils net-tools traceroute zsh)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-system-deps: missing Debian packages: ${missing[*]} (run as root on Debian to install them; tests that need them report themselves skipped)" >&2
  exit 0
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
