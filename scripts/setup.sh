#!/usr/bin/env bash
# Installs what Framecast needs beyond Go and make, when it is missing:
#
#   scripts/setup.sh run    FFmpeg (ffmpeg, ffprobe): `make run` and every render
#   scripts/setup.sh test   that, plus Chromium (the preview page tests; FRAMECAST_SKIP_BROWSER=1 skips it)
#                           and versitygw (the S3 server the blob store and cluster tests run against)
#
# On Debian or Ubuntu as root it installs the packages with apt-get; as another user it prints the exact
# command and stops (exit 1), so nothing is installed behind your back. On macOS it prints the brew line.
# versitygw is a Go program: `go install` puts it in $(go env GOBIN) or $(go env GOPATH)/bin, no root needed
# (about 3 minutes the first time). `make run` and `make test` call this script first; when everything is
# there it does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
case "$mode" in run | test) ;; *)
  echo "usage: $0 run|test" >&2
  exit 2
  ;;
esac

VERSITYGW_VERSION=v1.8.0

apt_pkgs=()
brew_pkgs=()
brew_casks=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || {
  apt_pkgs+=(ffmpeg)
  brew_pkgs+=(ffmpeg)
}
if [ "$mode" = test ] && [ -z "${FRAMECAST_SKIP_BROWSER:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 &&
    ! [ -x "/Applications/Chromium.app/Contents/MacOS/Chromium" ]; then
    apt_pkgs+=(chromium)
    brew_casks+=(chromium)
  fi
fi
# Node.js and npm run the MCP conformance client (the official MCP TypeScript SDK) in the tests.
if [ "$mode" = test ] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
  apt_pkgs+=(nodejs npm)
  brew_pkgs+=(node)
fi

if [ ${#apt_pkgs[@]} -gt 0 ]; then
  if [ "$(uname -s)" = Darwin ]; then
    echo "setup: missing ${apt_pkgs[*]}. Install with Homebrew, then run this again:" >&2
    [ ${#brew_pkgs[@]} -gt 0 ] && echo "    brew install ${brew_pkgs[*]}" >&2
    [ ${#brew_casks[@]} -gt 0 ] && echo "    brew install --cask ${brew_casks[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing ${apt_pkgs[*]}: install them with your system's package manager, then run this again." >&2
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing ${apt_pkgs[*]}. Install them (as root), then run this again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${apt_pkgs[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${apt_pkgs[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi

if [ "$mode" = test ]; then
  gobin=$(go env GOBIN)
  [ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
  if [ -z "${FRAMECAST_VERSITYGW:-}" ] && ! command -v versitygw >/dev/null 2>&1 && ! [ -x "$gobin/versitygw" ]; then
    echo "setup: installing versitygw $VERSITYGW_VERSION into $gobin (go install, a few minutes the first time)"
    go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  fi
  # The MCP conformance client, pinned by mcp/conformance/package-lock.json (mcp's TestTypeScriptSDKConformance).
  if [ ! -d mcp/conformance/node_modules/@modelcontextprotocol/sdk ]; then
    echo "setup: installing the MCP conformance client (npm ci in mcp/conformance)"
    (cd mcp/conformance && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # The OpenAPI validator, Redocly CLI, pinned by httpapi/openapicheck/package-lock.json (httpapi's
  # TestOpenAPIPassesRedoclyLint).
  if [ ! -x httpapi/openapicheck/node_modules/.bin/redocly ]; then
    echo "setup: installing the OpenAPI validator (npm ci in httpapi/openapicheck)"
    (cd httpapi/openapicheck && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
