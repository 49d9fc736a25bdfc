#!/usr/bin/env bash
# Install what building and testing duct needs on Debian 12 (bookworm).
#
#   bash contrib/setup-debian.sh
#
# Idempotent: when everything is already there it does nothing and prints
# nothing. Needs root for apt-get (uses sudo when run as another user).
#
# - Debian packages for the build (only a C toolchain for linking: duct loads
#   libkrb5 at run time, so no -dev package or libclang is needed) and for the
#   tests (tmux, a Kerberos KDC and client tools, which bring libkrb5-3,
#   kstart, faketime (a skewed clock), Heimdal's kcm daemon, FUSE, strace, python3-venv, and slurm-wlm
#   with munge for the one-node SLURM cluster the tests start).
# - target/con-duct-venv: the reference Python implementation,
#   con-duct[all]==0.23.0 (the [all] extra brings matplotlib for
#   `con-duct plot`), which the compatibility tests run on duct's output.
#   Override the interpreter with PYTHON=/path/to/python3 (needs >= 3.10).
set -euo pipefail

CON_DUCT_VERSION=0.23.0
BUILD_PKGS=(gcc libc6-dev)
TEST_PKGS=(tmux python3-venv krb5-kdc krb5-admin-server krb5-user kstart faketime heimdal-kcm fuse3 libfuse3-dev strace slurm-wlm munge)

me=setup-debian.sh
log=$(mktemp "${TMPDIR:-/tmp}/setup-debian.XXXXXX.log")
step="starting"

fail() {
    # Show what the failing step printed, then one clear line.
    if [[ -s "$log" ]]; then
        echo "---- last lines of $me output ($log) ----" >&2
        tail -n 25 "$log" >&2
        echo "----" >&2
    fi
    echo "$me: FAILED while $step" >&2
    exit 1
}
trap fail ERR
trap 'rc=$?; [[ $rc -eq 0 ]] && rm -f "$log"; exit $rc' EXIT

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# ---- Debian packages -------------------------------------------------------
step="checking installed Debian packages"
missing=()
for pkg in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    [[ "$status" == ii* ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        step="installing ${missing[*]} (not root and no sudo: run this script as root)"
        false
    fi
    echo "$me: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    step="running apt-get update"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1
    step="running apt-get install ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "${missing[@]}" >>"$log" 2>&1
fi

# ---- con-duct reference implementation ------------------------------------
venv=target/con-duct-venv
have_con_duct() {
    [[ -x "$venv/bin/con-duct" ]] &&
        [[ "$("$venv/bin/con-duct" --version 2>/dev/null)" == *" $CON_DUCT_VERSION" ]] &&
        "$venv/bin/python" -c 'import matplotlib' >/dev/null 2>&1
}

if ! have_con_duct; then
    python=${PYTHON:-python3}
    step="checking $python (con-duct needs Python >= 3.10)"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >>"$log" 2>&1
    echo "$me: creating $venv with con-duct[all]==$CON_DUCT_VERSION" >&2
    mkdir -p target
    step="creating the virtualenv $venv ($python -m venv)"
    "$python" -m venv --clear "$venv" >>"$log" 2>&1
    step="installing con-duct[all]==$CON_DUCT_VERSION into $venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
        "con-duct[all]==$CON_DUCT_VERSION" >>"$log" 2>&1
    step="checking the installed con-duct ($venv/bin/con-duct --version, import matplotlib)"
    have_con_duct
fi

# ---- wheel build tools (tests/install.rs) ----------------------------------
# maturin packs duct into a wheel; ziglang links it against glibc 2.17 (--zig);
# auditwheel checks the wheel's platform tag.
WHEEL_TOOLS=(maturin==1.16.0 ziglang==0.17.1 auditwheel==6.8.2)
tools=target/wheel-tools
have_wheel_tools() {
    [[ -x "$tools/bin/maturin" && -x "$tools/bin/auditwheel" ]] &&
        [[ "$("$tools/bin/pip" freeze --disable-pip-version-check 2>/dev/null | sort | tr '\n' ' ')" == *"auditwheel==6.8.2 "*"maturin==1.16.0 "*"ziglang==0.17.1 "* ]]
}
if ! have_wheel_tools; then
    python=${PYTHON:-python3}
    echo "$me: creating $tools with ${WHEEL_TOOLS[*]}" >&2
    mkdir -p target
    step="creating the virtualenv $tools ($python -m venv)"
    "$python" -m venv --clear "$tools" >>"$log" 2>&1
    step="installing ${WHEEL_TOOLS[*]} into $tools"
    "$tools/bin/python" -m pip install -q --disable-pip-version-check "${WHEEL_TOOLS[@]}" >>"$log" 2>&1
    step="checking $tools"
    have_wheel_tools
fi
