#!/usr/bin/env bash
# Validates deploy/template.yaml with cfn-lint (pinned), installed once into its own virtualenv
# under the tools cache (~/.cache/zhibu/tools, or $ZHIBU_TOOLS; moto has another there, as it
# pins its own cfn-lint). Zero errors and zero warnings, or it exits non-zero. Run from anywhere:  bash deploy/lint.sh
#
# Two passes, each for a global region and the two China regions (so that a resource type
# CloudFormation lacks in the aws-cn partition is caught):
#   1. the SAM template itself;
#   2. the plain CloudFormation that SAM expands it into (deploy/sam_transform.py, offline, once
#      per partition), so the generated roles, permissions and API stage are checked too:
#      cfn-lint reads SAM templates without expanding them, and so would not see, say, an IAM
#      action that does not exist.
set -euo pipefail
cd "$(dirname "$0")/.."

CFN_LINT_VERSION=1.58.0
SAM_TRANSLATOR_VERSION=1.115.0
VENV="${ZHIBU_TOOLS:-$HOME/.cache/zhibu/tools}/lint-venv"
REGIONS=(us-east-1 cn-north-1 cn-northwest-1)

if [[ ! -x $VENV/bin/python ]]; then
  echo "==> creating the tools virtualenv $VENV"
  python3 -m venv "$VENV"
fi
version_of() {
  "$VENV/bin/python" -m pip show --disable-pip-version-check "$1" 2>/dev/null | sed -n 's/^Version: //p' || true
}
missing=()
[[ $(version_of cfn-lint) == "$CFN_LINT_VERSION" ]] || missing+=("cfn-lint==$CFN_LINT_VERSION")
[[ $(version_of aws-sam-translator) == "$SAM_TRANSLATOR_VERSION" ]] ||
  missing+=("aws-sam-translator==$SAM_TRANSLATOR_VERSION")
if ((${#missing[@]})); then
  echo "==> installing ${missing[*]} into $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q "${missing[@]}"
else
  echo "==> cfn-lint $CFN_LINT_VERSION and aws-sam-translator $SAM_TRANSLATOR_VERSION already in $VENV"
fi

OUT=target/tools/sam-expanded
mkdir -p "$OUT"

echo "==> cfn-lint deploy/template.yaml (regions: ${REGIONS[*]})"
"$VENV/bin/cfn-lint" --regions "${REGIONS[@]}" -- deploy/template.yaml

for region in us-east-1 cn-north-1; do
  echo "==> cfn-lint of the template as SAM expands it in $region"
  AWS_DEFAULT_REGION=$region "$VENV/bin/python" deploy/sam_transform.py deploy/template.yaml "$OUT/$region.json"
  "$VENV/bin/cfn-lint" --regions "${REGIONS[@]}" -- "$OUT/$region.json"
done
echo "==> deploy/template.yaml: no errors, no warnings"
