#!/usr/bin/env bash
# Build a free-threaded CPython 3.13 from Debian's source package and register it as a
# Jupyter kernel ("python3-freethreaded") of the course's own virtual environment.
#
# Usage: scripts/freethreaded.sh [REPO_DIR]      (REPO_DIR defaults to this script's repository)
#        scripts/freethreaded.sh --print-archive (print the archive address apt uses, then exit)
#
# Environment (all optional):
#   FREETHREADED_PREFIX   install prefix   (default ${XDG_CACHE_HOME:-$HOME/.cache}/concurrency-lab/python3.13t)
#   FREETHREADED_VENV     kernel's venv    (default: venv-ft beside the prefix)
#   FREETHREADED_WORK     downloads, build tree and logs (default: build-python3.13t beside the prefix)
#   FREETHREADED_VERSION  Debian version to fetch, e.g. 3.13.5-2 (default: whatever trixie has)
#   FREETHREADED_ARCHIVE  archive address (default: read from this machine's apt configuration)
#   FREETHREADED_JOBS     parallel make jobs (default: number of cores)
#   MAIN_VENV             venv whose JupyterLab gets the kernel (default REPO_DIR/.venv)
#   APT_ETC               apt configuration directory to read the archive from (default /etc/apt)
#
# Every step is skipped when its result is already there, so running it again is cheap.
set -euo pipefail

readonly KERNEL_NAME="python3-freethreaded"
readonly KERNEL_DISPLAY="Python 3.13 (free-threaded)"
readonly SOURCE_PACKAGE="python3.13"
readonly SOURCE_SUITE="trixie"
# Debian packages the build needs for the stdlib modules the course uses (ssl for pip, ctypes,
# sqlite3, compression, readline for a usable REPL).
readonly BUILD_DEPS=(build-essential pkg-config xz-utils libssl-dev zlib1g-dev libffi-dev
    libbz2-dev liblzma-dev libsqlite3-dev libreadline-dev libncurses-dev uuid-dev)
# Kernel-side packages only: JupyterLab and nbgrader run from the main venv, not in the kernel.
readonly KERNEL_PACKAGES=(ipykernel ipywidgets matplotlib numpy pytest)

log() { printf '[freethreaded] %s\n' "$*" >&2; }
die() { printf '[freethreaded] error: %s\n' "$*" >&2; exit 1; }

# Print "<label>: <seconds> s" for a phase that started at $1 (seconds since the epoch).
took() { log "$2 took $(( $(date +%s) - $1 )) s"; }

# Print the first main-archive address in the apt configuration under $1 (security and
# updates archives carry no source of a newer release, so they are skipped).
archive_from_apt() {
    local etc="$1" file uri
    for file in "$etc"/sources.list.d/*.sources; do
        [[ -f "$file" ]] || continue
        while read -r uri; do
            [[ "$uri" == *security* ]] || { echo "${uri%/}"; return 0; }
        done < <(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$file")
    done
    for file in "$etc"/sources.list "$etc"/sources.list.d/*.list; do
        [[ -f "$file" ]] || continue
        # deb [options] URI suite components: the address is the first field after the options.
        uri=$(sed -E -n 's/^[[:space:]]*deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\3/p' "$file" \
            | grep -v security | head -n 1 || true)
        [[ -n "$uri" ]] && { echo "${uri%/}"; return 0; }
    done
    return 1
}

# True when $1 is a working interpreter built with --disable-gil.
is_freethreaded() {
    [[ -x "$1" ]] && "$1" -c 'import sys, sysconfig
sys.exit(0 if sysconfig.get_config_var("Py_GIL_DISABLED") and not sys._is_gil_enabled() else 1)' 2>/dev/null
}

# Install the missing build dependencies (as root) or stop and say which are missing.
ensure_build_deps() {
    local missing=() pkg
    for pkg in "${BUILD_DEPS[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    (( ${#missing[@]} == 0 )) && { log "build dependencies present"; return 0; }
    if (( EUID != 0 )); then
        die "missing build dependencies: ${missing[*]}
    install them first:  sudo apt-get install ${missing[*]}"
    fi
    log "installing build dependencies: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Fetch the upstream tarball of Debian's python3.13 source package into $WORK/download
# with a private apt configuration; print the tarball's path.
fetch_source() {
    local down="$WORK/download" apt="$WORK/apt" archive tarball spec
    tarball=$(find "$down" -maxdepth 1 -name "${SOURCE_PACKAGE}_*.orig.tar.xz" 2>/dev/null | sort | tail -n 1)
    if [[ -n "$tarball" ]]; then
        log "source already downloaded: $tarball"
        echo "$tarball"; return 0
    fi
    archive=${FREETHREADED_ARCHIVE:-$(archive_from_apt "$APT_ETC")} \
        || die "no archive address found in $APT_ETC/sources.list or $APT_ETC/sources.list.d/"
    mkdir -p "$down" "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial"
    echo "deb-src $archive $SOURCE_SUITE main" > "$apt/sources.list"
    # Private sources, lists and cache: the system's apt state is neither read nor changed.
    local opts=(-q -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
    log "fetching the $SOURCE_SUITE source index"
    apt-get "${opts[@]}" update >&2 || die "apt-get update of the private $SOURCE_SUITE source list failed"
    spec=$SOURCE_PACKAGE${FREETHREADED_VERSION:+=$FREETHREADED_VERSION}
    log "downloading source package $spec"
    (cd "$down" && apt-get "${opts[@]}" source --download-only "$spec" >&2) \
        || die "apt-get source --download-only $spec failed"
    tarball=$(find "$down" -maxdepth 1 -name "${SOURCE_PACKAGE}_*.orig.tar.xz" | sort | tail -n 1)
    [[ -n "$tarball" ]] || die "no ${SOURCE_PACKAGE}_*.orig.tar.xz in $down after download"
    echo "$tarball"
}

# Unpack $1 (apt has checked it against the signed .dsc), configure, build and install it
# into $PREFIX. Logs go to $WORK/logs.
build_python() {
    local tarball="$1" src="$WORK/src" logs="$WORK/logs" top t0
    log "sha256 $(sha256sum "$tarball" | cut -d' ' -f1)  $(basename "$tarball")"
    rm -rf "$src" && mkdir -p "$src" "$logs"
    tar -xJf "$tarball" -C "$src"
    top=$(find "$src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    [[ -x "$top/configure" ]] || die "no configure script in $tarball"
    t0=$(date +%s)
    log "configure --disable-gil --prefix=$PREFIX (log: $logs/configure.log)"
    (cd "$top" && ./configure --disable-gil --prefix="$PREFIX" >"$logs/configure.log" 2>&1) \
        || { tail -n 30 "$logs/configure.log" >&2; die "configure failed, see $logs/configure.log"; }
    log "make -j$JOBS (log: $logs/make.log)"
    (cd "$top" && make -j"$JOBS" >"$logs/make.log" 2>&1) \
        || { tail -n 30 "$logs/make.log" >&2; die "make failed, see $logs/make.log"; }
    took "$t0" "configure + build"
    t0=$(date +%s)
    log "make install (log: $logs/install.log)"
    (cd "$top" && make install >"$logs/install.log" 2>&1) \
        || { tail -n 30 "$logs/install.log" >&2; die "make install failed, see $logs/install.log"; }
    took "$t0" "install"
    rm -rf "$src"  # only the installed prefix is reused, not the build tree
}

# Create $VENV from the free-threaded Python and install the course plus kernel-side packages.
setup_venv() {
    local py="$VENV/bin/python" probe mods
    mods=$(IFS=,; echo "${KERNEL_PACKAGES[*]}")
    # Ready means: every package imports and `course` is the editable checkout of $REPO.
    probe="import sys, os.path as p, course, $mods
sys.exit(0 if p.realpath(course.__file__).startswith(p.realpath('$REPO') + '/') else 1)"
    if is_freethreaded "$py" && "$py" -c "$probe" 2>/dev/null; then
        log "venv ready: $VENV"; return 0
    fi
    log "creating venv $VENV"
    rm -rf "$VENV"
    "$PREFIX/bin/python3.13t" -m venv "$VENV"
    "$py" -m pip install -q --upgrade pip >&2
    # --prefer-binary: cp313t wheels exist for numpy, matplotlib, pyzmq, psutil; without it pip
    # tries newer sdists and spends many minutes compiling. --no-deps on the course itself:
    # its JupyterLab and nbgrader dependencies belong to the main venv, and cannot install here
    # anyway (jupyter-server needs argon2-cffi-bindings, and cffi refuses free-threaded 3.13).
    "$py" -m pip install --prefer-binary "${KERNEL_PACKAGES[@]}" >&2
    "$py" -m pip install --no-deps -e "$REPO" >&2
    "$py" -c "$probe" || die "the venv at $VENV cannot import course from $REPO"
}

# Register the kernel in MAIN_VENV's share/jupyter/kernels so its JupyterLab and nbgrader see it.
register_kernel() {
    # ipykernel warns that MAIN_VENV is not on the kernel venv's own search path; that is
    # expected (MAIN_VENV's Jupyter is the one that looks), and verify_kernel proves it finds it.
    "$VENV/bin/python" -m ipykernel install --prefix "$MAIN_VENV" \
        --name "$KERNEL_NAME" --display-name "$KERNEL_DISPLAY" 2>&1 | { grep -v "may not be found" || true; } >&2
}

# Start the kernel through MAIN_VENV's jupyter_client and check the GIL stays off.
verify_kernel() {
    "$MAIN_VENV/bin/python" - "$KERNEL_NAME" <<'PY'
import sys
from jupyter_client.manager import start_new_kernel

CODE = """
import sys, sysconfig
import course, course.timeline, numpy, matplotlib, ipywidgets
import matplotlib.pyplot
print(sys.executable)
print(sys.version.replace(chr(10), ' '))
print('Py_GIL_DISABLED', sysconfig.get_config_var('Py_GIL_DISABLED'))
print('sys._is_gil_enabled()', sys._is_gil_enabled())
"""
km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
lines = []
try:
    reply = kc.execute_interactive(
        CODE, timeout=120,
        output_hook=lambda msg: lines.append(msg["content"].get("text", "")),
    )
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
text = "".join(lines)
print(text, end="")
if reply["content"]["status"] != "ok":
    sys.exit(f"kernel raised {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
if "sys._is_gil_enabled() False" not in text:
    sys.exit("the kernel runs with the GIL enabled")
PY
}

main() {
    local here t0 t_all tarball
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    REPO=$(cd "${1:-$here/..}" && pwd)
    local cache=${XDG_CACHE_HOME:-$HOME/.cache}/concurrency-lab
    PREFIX=${FREETHREADED_PREFIX:-$cache/python3.13t}
    VENV=${FREETHREADED_VENV:-$(dirname "$PREFIX")/venv-ft}
    WORK=${FREETHREADED_WORK:-$(dirname "$PREFIX")/build-python3.13t}
    JOBS=${FREETHREADED_JOBS:-$(nproc)}
    MAIN_VENV=$(cd "${MAIN_VENV:-$REPO/.venv}" 2>/dev/null && pwd) \
        || die "main venv ${MAIN_VENV:-$REPO/.venv} not found: create it first (make venv)"
    t_all=$(date +%s)
    if is_freethreaded "$PREFIX/bin/python3.13t"; then
        log "reusing $PREFIX/bin/python3.13t"
    else
        ensure_build_deps
        t0=$(date +%s); tarball=$(fetch_source); took "$t0" "fetch"
        build_python "$tarball"
        is_freethreaded "$PREFIX/bin/python3.13t" \
            || die "$PREFIX/bin/python3.13t is not a free-threaded build"
    fi
    t0=$(date +%s); setup_venv; took "$t0" "venv + packages"
    register_kernel
    verify_kernel
    took "$t_all" "everything"
    log "python: $PREFIX/bin/python3.13t   kernel: $KERNEL_NAME ($KERNEL_DISPLAY)"
}

APT_ETC=${APT_ETC:-/etc/apt}
if [[ "${1:-}" == "--print-archive" ]]; then
    archive_from_apt "$APT_ETC" || die "no archive address found in $APT_ETC"
    exit 0
fi
main "$@"
