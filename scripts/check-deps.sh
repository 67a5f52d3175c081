#!/usr/bin/env bash
# Fails when a Debian package that a configured build actually uses is missing from the
# PACKAGES list of scripts/install-deps.sh (and from what those packages pull in), so that a
# fresh machine would not be able to build. Cheap: reads the build's records, asks dpkg.
#
# What counts as used, for a build folder (default: build):
#   - every system header the compiler read (ninja -t deps);
#   - every file CMakeCache.txt points to in /usr (OpenCL_LIBRARY, ...), and the package
#     config file of every <Name>_DIR folder there: the find_package() results, including
#     those a package's own CMake config looks up (oneDNN's asks for OpenCL);
#   - every shared library the ecoinfer binary loads (ldd).
# Each file is mapped to its package (dpkg -S); each package must be in the list or in the
# Depends/Pre-Depends closure of the listed packages (Recommends and Suggests do not count:
# install-deps.sh installs with --no-install-recommends). Essential packages are exempt.
#
# usage: scripts/check-deps.sh [BUILD_DIR] [PACKAGE_LIST_FILE]
#   PACKAGE_LIST_FILE (or $DEPS_LIST): a script holding a PACKAGES=( ... ) array
#   (default scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
LIST=${2:-${DEPS_LIST:-scripts/install-deps.sh}}

[ -f "$BUILD_DIR/CMakeCache.txt" ] || { echo "check-deps: $BUILD_DIR is not a configured build folder" >&2; exit 2; }
[ -f "$LIST" ] || { echo "check-deps: no package list $LIST" >&2; exit 2; }
for tool in dpkg dpkg-query apt-cache ninja; do
  command -v "$tool" >/dev/null || { echo "check-deps: needs $tool" >&2; exit 2; }
done

# The PACKAGES=( ... ) array, comments stripped.
listed=$(sed -n '/^PACKAGES=(/,/^)/p' "$LIST" | sed -e 's/#.*//' -e 's/PACKAGES=(//' -e 's/)//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
[ -n "$listed" ] || { echo "check-deps: no PACKAGES=( ... ) list in $LIST" >&2; exit 2; }

# Packages the list installs: itself plus its Depends closure (names only; virtual
# packages are listed as <name> and match what provides them through dpkg below).
# shellcheck disable=SC2086
closure=$( { echo "$listed"; apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $listed 2>/dev/null | sed -n -e 's/^\([^ <][^ ]*\)$/\1/p' -e 's/^ *\(Pre\)\{0,1\}Depends: <\{0,1\}\([^>]*\)>\{0,1\}$/\2/p'; } |
  sed 's/:.*//' | sort -u)

# Files the build used.
files=$(
  {
    ninja -C "$BUILD_DIR" -t deps 2>/dev/null | sed -n 's/^ \{4\}\(\/usr\/[^ ]*\)$/\1/p'
    # FILEPATH/PATH entries into /usr; for folders (dnnl_DIR), the CMake files in them.
    sed -n 's/^[A-Za-z0-9_]*:\(FILEPATH\|PATH\)=\(\/usr\/[^;]*\)$/\2/p' "$BUILD_DIR/CMakeCache.txt" | while read -r p; do
      if [ -d "$p" ]; then find "$p" -maxdepth 1 -name '*onfig.cmake' -type f; elif [ -e "$p" ]; then echo "$p"; fi
    done
    # Include folders a find module located by a header that no source compiles (oneDNN's
    # config requires OpenCL without using it): the header it probed for.
    for probe in OpenCL_INCLUDE_DIR:CL/cl.h; do
      dir=$(sed -n "s/^${probe%%:*}:PATH=\(\/usr\/.*\)$/\1/p" "$BUILD_DIR/CMakeCache.txt")
      [ -n "$dir" ] && [ -e "$dir/${probe#*:}" ] && echo "$dir/${probe#*:}"
    done
    [ -x "$BUILD_DIR/ecoinfer" ] && ldd "$BUILD_DIR/ecoinfer" | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p'
  } | sort -u
)
[ -n "$files" ] || { echo "check-deps: found no files used by $BUILD_DIR (not built yet?)" >&2; exit 2; }

# File -> package, in two batched dpkg -S calls (one per file would take minutes). With a
# merged /usr, dpkg may know a file under the other spelling (/lib/... vs /usr/lib/...), or
# only under the path its symlinks resolve to: the second call tries those.
owners() { xargs -r -d '\n' dpkg -S 2>/dev/null | grep -v '^diversion' || true; }
first=$(owners <<<"$files")
found=$(sed 's/^.*: //' <<<"$first" | sort -u)
unmatched=$(comm -23 <(echo "$files") <(echo "$found"))
second=""
declare -A original_of
if [ -n "$unmatched" ]; then
  while read -r f; do
    for alt in "${f#/usr}" "/usr$f" "$(readlink -f "$f")"; do original_of[$alt]=$f; done
  done <<<"$unmatched"
  second=$(printf '%s\n' "${!original_of[@]}" | grep -v '^/usr/usr/' | sort -u | owners)
fi
declare -A used_by
while IFS= read -r line; do
  [ -n "$line" ] || continue
  f=${line#*: }
  for p in $(sed 's/, / /g' <<<"${line%%: *}"); do
    p=${p%%:*}
    [ -n "${used_by[$p]:-}" ] || used_by[$p]=$f
  done
done <<<"$first"$'\n'"$second"
# Files of no package: built here or installed by hand, not a package's business.
declare -A owned_late
while IFS= read -r line; do
  [ -n "$line" ] && owned_late[${original_of[${line#*: }]:-}]=1
done <<<"$second"
unowned=0
[ -z "$unmatched" ] || unowned=$(( $(wc -l <<<"$unmatched") - ${#owned_late[@]} ))

missing=()
for p in "${!used_by[@]}"; do
  grep -qx "$p" <<<"$closure" && continue
  [ "$(dpkg-query -W -f='${Essential}' "$p" 2>/dev/null)" = yes ] && continue
  missing+=("$p (uses ${used_by[$p]})")
done

echo "check-deps: $(wc -l <<<"$files") files used by $BUILD_DIR, ${#used_by[@]} packages, $unowned files of no package;" \
  "$(wc -l <<<"$listed") listed in $LIST"
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-deps: packages the build uses but $LIST does not install (add them to PACKAGES):" >&2
  printf '  %s\n' "${missing[@]}" | sort >&2
  exit 1
fi
echo "check-deps: every package the build uses is installed by $LIST"
