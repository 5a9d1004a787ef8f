# Shared by run.sh and test.sh: install what is missing, then build into build/.
# Quiet when there is nothing to do; loud (with the log) when something fails.

GOVASSESS_PACKAGES=(
  build-essential cmake pkg-config ccache git
  libboost-dev libpoco-dev nlohmann-json3-dev catch2
  libsqlite3-dev sqlite3 libutf8proc-dev libsodium-dev
  libtcmalloc-minimal4
  curl ca-certificates openssl python3-aiosmtpd
)

govassess_missing_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# govassess_ensure_packages [extra packages…]
govassess_ensure_packages() {
  local missing
  missing=$(govassess_missing_packages "${GOVASSESS_PACKAGES[@]}" "$@")
  [ -z "$missing" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: $missing"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -qq --no-install-recommends $missing >/tmp/govassess-apt.log 2>&1; then
    $sudo apt-get update -qq >>/tmp/govassess-apt.log 2>&1 || true
    if ! $sudo apt-get install -y -qq --no-install-recommends $missing >>/tmp/govassess-apt.log 2>&1; then
      cat /tmp/govassess-apt.log >&2
      echo "apt-get could not install: $missing" >&2
      return 1
    fi
  fi
}

# govassess_build [cmake configure options…]
govassess_build() {
  local build_dir="${GOVASSESS_BUILD_DIR:-build}"
  mkdir -p "$build_dir"
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    if ! cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$build_dir/configure.log" 2>&1; then
      cat "$build_dir/configure.log" >&2
      echo "cmake configure failed" >&2
      return 1
    fi
  fi
  if ! cmake --build "$build_dir" -j"$(nproc)" >"$build_dir/build.log" 2>&1; then
    grep -E "error|Error" -A5 "$build_dir/build.log" | head -80 >&2
    echo "build failed; the whole log is in $build_dir/build.log" >&2
    return 1
  fi
}
