# apt-install-missing.sh - sourced by the setup scripts (not run):
#
#     apt_install_missing <label> <package>...
#
# installs, with apt-get, those of the Debian packages not installed yet
# (sudo when not root), saying which under <label>; nothing when all are.
apt_install_missing() {
    local label=$1
    shift
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
            grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "$label: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}
