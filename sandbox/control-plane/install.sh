#!/usr/bin/env bash
# Installs what the tests need beyond Maven Central: a real Kubernetes control plane for the end-to-end
# tests and the local run (kube-apiserver, kube-scheduler and kube-controller-manager built from Debian's
# source package "kubernetes": the upstream tree with vendor/, no network needed beyond Debian's archive;
# Debian's etcd; Debian's kubectl of the same version), and a kubectl on PATH when there is none (the
# machine's package). See docs/real-cluster.md.
#
# Usage: sandbox/control-plane/install.sh [--print-dir]
#   --print-dir  print the directory the binaries are (or would be) in, and do nothing else
#
# Binaries are cached outside the work tree, keyed by the Debian source version:
#   ${VNODE_CONTROL_PLANE_CACHE:-~/.cache/eci-vnode/control-plane}/<version>/bin
# and <cache>/current points at the last complete install. A second run finds them and only checks
# the packages. Every step has a deadline; the build prints its progress.
# Knobs: BUILD_TIMEOUT (seconds, default 5400), KEEP_SOURCE=1 (keep the 2.5 GB source and build cache).
set -euo pipefail

CACHE=${VNODE_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eci-vnode/control-plane}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-5400}
PACKAGES=(golang-go etcd-server dpkg-dev make rsync golang-github-modern-go-reflect2-dev)
BINARIES=(kube-apiserver kube-scheduler kube-controller-manager)
T0=$(date +%s)

log() { printf '[control-plane %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  die "this step needs root (apt-get): run as root, or install ${PACKAGES[*]} yourself"; fi; }

# The mirror this machine already uses for binary packages, for a deb-src entry beside it.
apt_mirror() {
  local uri
  uri=$(awk '/^URIs:/ && /debian/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / && /debian/ && !/security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || die "no Debian mirror configured in /etc/apt (needed for the kubernetes source package)"
  echo "$uri"
}

# Whether apt knows the source package (read whole: grep -q closing the pipe early would fail the
# pipeline under pipefail).
have_source_index() {
  local record
  record=$(apt-cache showsrc kubernetes 2>/dev/null || true)
  grep -q '^Version:' <<<"$record"
}

ensure_source_index() {
  if have_source_index; then return; fi
  local list=/etc/apt/sources.list.d/eci-vnode-src.sources mirror
  mirror=$(apt_mirror)
  log "adding a deb-src entry for $mirror (bookworm) in $list"
  as_root tee "$list" >/dev/null <<SRC
Types: deb-src
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  log "apt-get update"
  as_root timeout 600 apt-get update -qq || die "apt-get update failed or took over 600 s"
  have_source_index || die "Debian's source package 'kubernetes' is not in the archive at $mirror"
}

source_version() {
  apt-cache showsrc kubernetes | awk '/^Version:/ {print $2}' | sort -V | tail -1
}

# The kubectl the tests run as a person would: the machine's own (kubectl v1.32 where the Kubernetes
# apt repository is configured), else Debian's kubernetes-client.
ensure_kubectl() {
  if command -v kubectl >/dev/null; then return; fi
  log "installing kubectl (Debian package)"
  as_root env DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq kubectl >/dev/null 2>&1 \
    || as_root env DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq kubernetes-client >/dev/null \
    || die "neither the kubectl nor the kubernetes-client package could be installed"
}

ensure_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed or took over 1200 s"
  fi
  command -v go >/dev/null || die "go is missing after installing golang-go"
  command -v etcd >/dev/null || die "etcd is missing after installing etcd-server"
  [ -f /usr/share/gocode/src/github.com/modern-go/reflect2/reflect2.go ] \
    || die "golang-github-modern-go-reflect2-dev is installed but its sources are not under /usr/share/gocode"
}

complete() {
  local dir=$1 b
  for b in "${BINARIES[@]}" etcd kubectl; do [ -x "$dir/bin/$b" ] || return 1; done
  [ -f "$dir/VERSION" ]
}

fetch_source() {  # fetch_source WORK
  local work=$1
  if [ -f "$work/k8s/cmd/kube-apiserver/apiserver.go" ]; then log "source already unpacked in $work/k8s"; return; fi
  rm -rf "$work" && mkdir -p "$work"
  log "downloading Debian's kubernetes source package (~35 MB)"
  (cd "$work" && timeout 900 apt-get source --download-only -qq kubernetes >/dev/null) \
    || die "apt-get source --download-only kubernetes failed or took over 900 s"
  log "unpacking it"
  (cd "$work" && timeout 600 dpkg-source -x --no-check kubernetes_*.dsc k8s >/dev/null 2>&1) \
    || die "dpkg-source -x of the kubernetes source package failed"
  local d
  for d in cmd/kube-apiserver cmd/kube-scheduler cmd/kube-controller-manager vendor/github.com/modern-go/reflect2; do
    [ -e "$work/k8s/$d" ] || die "$d is missing from Debian's kubernetes source package"
  done
}

# The vendored reflect2 v1.0.1 crashes a kube-apiserver built with Go >= 1.18 whenever a mutating
# webhook returns a JSON patch (fatal error in UnsafeMapType.UnsafeIterate); Debian's 1.0.2 has the
# same API and fixes it.
patch_reflect2() {
  local r=$1/k8s/vendor/github.com/modern-go/reflect2
  if [ -f "$r/go_above_118.go" ]; then return; fi
  log "replacing vendor/github.com/modern-go/reflect2 (1.0.1, crashes with Go >= 1.18) by Debian's 1.0.2"
  rm -rf "$r" && mkdir -p "$r" && cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go "$r/"
  [ -f "$r/go_above_118.go" ] || die "Debian's reflect2 sources have no go_above_118.go: not the 1.0.2 fix"
}

build() {  # build WORK OUT
  local work=$1 out=$2 src=$1/k8s
  mkdir -p "$src/.go/src/k8s.io" "$work/home"
  [ -L "$src/.go/src/k8s.io/kubernetes" ] || ln -s ../../.. "$src/.go/src/k8s.io/kubernetes"
  log "building ${BINARIES[*]} with $(go version | awk '{print $3}') (about 7 minutes on 2 cores; log: $work/build.log)"
  (cd "$src" && exec env HOME="$work/home" GOPATH="$src/.go" CGO_ENABLED=0 GOPROXY=off GOFLAGS=-mod=vendor \
     timeout "$BUILD_TIMEOUT" make WHAT="cmd/kube-apiserver cmd/kube-scheduler cmd/kube-controller-manager" \
     >"$work/build.log" 2>&1) &
  local pid=$! started; started=$(date +%s)
  trap 'kill "$pid" 2>/dev/null || true' EXIT  # an interrupted install stops its build
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    kill -0 "$pid" 2>/dev/null && log "  still building ($(( $(date +%s) - started )) s): $(tail -c 300 "$work/build.log" | tr '\n' ' ' | tail -c 100)"
  done
  trap - EXIT
  if ! wait "$pid"; then
    tail -30 "$work/build.log" >&2
    die "the build failed or took over $BUILD_TIMEOUT s (log: $work/build.log)"
  fi
  mkdir -p "$out/bin"
  local b
  for b in "${BINARIES[@]}"; do
    [ -x "$src/_output/bin/$b" ] || die "the build finished but $b is not in $src/_output/bin"
    cp "$src/_output/bin/$b" "$out/bin/"
  done
  log "built in $(( $(date +%s) - started )) s"
}

debian_kubectl() {  # debian_kubectl OUT: Debian's kubectl of the same version, unpacked, not installed
  local out=$1 tmp
  [ -x "$out/bin/kubectl" ] && return
  tmp=$(mktemp -d)
  log "unpacking Debian's kubectl (kubernetes-client) into $out/bin"
  (cd "$tmp" && timeout 600 apt-get download -qq kubernetes-client >/dev/null && dpkg-deb -x kubernetes-client_*.deb x) \
    || die "apt-get download kubernetes-client failed"
  cp "$tmp/x/usr/bin/kubectl" "$out/bin/kubectl"
  rm -rf "$tmp"
}

main() {
  ensure_source_index
  local version dir work
  version=$(source_version)
  dir=$CACHE/$version
  if [ "${1:-}" = --print-dir ]; then echo "$dir"; return; fi
  log "Debian kubernetes source $version; cache $dir"
  ensure_packages
  ensure_kubectl
  if complete "$dir"; then
    log "already installed: $(cat "$dir/VERSION") in $dir/bin"
  else
    work=$CACHE/build-$version
    mkdir -p "$dir/bin"
    if [ ! -x "$dir/bin/kube-apiserver" ] || [ ! -x "$dir/bin/kube-scheduler" ] || [ ! -x "$dir/bin/kube-controller-manager" ]; then
      fetch_source "$work"
      patch_reflect2 "$work"
      build "$work" "$dir"
    fi
    # etcd beside them, so one directory is the whole control plane (the harness takes it by path)
    cp "$(command -v etcd)" "$dir/bin/etcd"
    debian_kubectl "$dir"
    "$dir/bin/kube-apiserver" --version | awk '{print $2}' > "$dir/VERSION"
    if [ "${KEEP_SOURCE:-0}" != 1 ] && [ -d "$work" ]; then log "removing the source and build cache $work"; rm -rf "$work"; fi
  fi
  ln -sfn "$version" "$CACHE/current"
  log "ready: Kubernetes $(cat "$dir/VERSION") (etcd $("$dir/bin/etcd" --version | awk 'NR==1 {print $3}')) in $CACHE/current/bin; kubectl $(kubectl version --client -o json 2>/dev/null | awk -F'"' '/gitVersion/ {print $4; exit}') on PATH"
}

main "$@"
