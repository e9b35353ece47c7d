#!/usr/bin/env bash
# Builds zhibu and deploys it to AWS: the functions for Lambda (arm64), the stack of
# deploy/template.yaml with the SAM CLI, then the site into the stack's bucket and a CloudFront
# invalidation. See README, "Deploy to AWS".
#
#   bash deploy/deploy.sh [STACK_NAME [REGION]]
#
# Settings (environment; parameters not given keep their value from the previous deploy):
#   ZHIBU_STACK                    stack name (default zhibu; the first argument wins)
#   AWS_REGION, AWS_DEFAULT_REGION region (the second argument wins; else the CLI's configured one)
#   ZHIBU_TOKEN_SECRET_NAME        Secrets Manager secret with the token key (default zhibu/token-secret)
#   ZHIBU_TABLE                    DynamoDB table name (template default: zhibu)
#   ZHIBU_LOCATION_RETENTION_DAYS  days sign-in locations are kept (template default: 180)
#   ZHIBU_DOMAIN                   custom domain of the site (required in the China regions)
#   ZHIBU_ACM_CERTIFICATE_ARN      its ACM certificate, issued in us-east-1 (global regions)
#   ZHIBU_IAM_CERTIFICATE_ID       or its certificate uploaded to IAM (the China regions)
#   ZHIBU_BASE_URL                 base URL the site is built for (default: the stack's SiteUrl)
#
# Needs: the AWS CLI and the SAM CLI, configured with credentials; a Rust toolchain. cargo-lambda
# (with zig) is installed from PyPI into target/tools/venv when missing.
set -euo pipefail
cd "$(dirname "$0")/.."


step() { printf '\n==> %s\n' "$*"; }
die() { printf 'deploy: %s\n' "$*" >&2; exit 1; }

STACK=${1:-${ZHIBU_STACK:-zhibu}}
REGION=${2:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
SECRET=${ZHIBU_TOKEN_SECRET_NAME:-zhibu/token-secret}

# ------------------------------------------------------------------ what this needs
command -v aws >/dev/null ||
  die "the AWS CLI (aws) is missing: install it (https://docs.aws.amazon.com/cli/ or 'pip install awscli') and run 'aws configure'"
command -v sam >/dev/null ||
  die "the SAM CLI (sam) is missing: install it (https://docs.aws.amazon.com/serverless-application-model/ or 'pip install aws-sam-cli')"
command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup"
command -v python3 >/dev/null || die "python3 is missing (it installs cargo-lambda)"

if [[ -z $REGION ]]; then
  REGION=$(aws configure get region 2>/dev/null || true)
fi
[[ -n $REGION ]] || die "no region: pass it as the second argument or set AWS_REGION (e.g. cn-north-1)"
export AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION
case $REGION in
  cn-*) IN_CHINA=1 ;;
  *) IN_CHINA=0 ;;
esac
if ((IN_CHINA)) && [[ -z ${ZHIBU_DOMAIN:-} || -z ${ZHIBU_IAM_CERTIFICATE_ID:-} ]]; then
  die "in the China regions CloudFront serves only an ICP-filed domain with a certificate in IAM: set ZHIBU_DOMAIN and ZHIBU_IAM_CERTIFICATE_ID"
fi

step "checking credentials and the token secret $SECRET in $REGION"
aws sts get-caller-identity --query Arn --output text ||
  die "the AWS CLI has no working credentials for $REGION ('aws configure')"
SECRET_VERSION=$(aws secretsmanager list-secret-version-ids --secret-id "$SECRET" \
  --query "Versions[?contains(VersionStages, 'AWSCURRENT')].VersionId | [0]" --output text 2>/dev/null) ||
  die "secret $SECRET not found in $REGION: create it first (README, \"Deploy to AWS\"), e.g.
  aws secretsmanager create-secret --name $SECRET --secret-string \"\$(openssl rand -base64 48)\""
[[ -n $SECRET_VERSION && $SECRET_VERSION != None ]] || die "secret $SECRET has no current version"

# ------------------------------------------------------------------ tools
source deploy/cargo-lambda.sh
ensure_cargo_lambda

# ------------------------------------------------------------------ build
step "building the functions for Lambda (arm64)"
rm -rf target/lambda/zhibu-api target/lambda/zhibu-retention
cargo lambda build --release --arm64 -p zhibu-functions --no-default-features --features lambda \
  --bin zhibu-api --bin zhibu-retention

step "building the site (for the catalog the API reads)"
cargo run --release -- build
cp .zhibu/zhibu-catalog.json target/lambda/zhibu-api/zhibu-catalog.json

# ------------------------------------------------------------------ deploy
params=("TokenSecretName=$SECRET" "TokenSecretVersionId=$SECRET_VERSION")
[[ -n ${ZHIBU_TABLE:-} ]] && params+=("TableName=$ZHIBU_TABLE")
[[ -n ${ZHIBU_LOCATION_RETENTION_DAYS:-} ]] && params+=("LocationRetentionDays=$ZHIBU_LOCATION_RETENTION_DAYS")
[[ -n ${ZHIBU_DOMAIN:-} ]] && params+=("DomainName=$ZHIBU_DOMAIN")
[[ -n ${ZHIBU_ACM_CERTIFICATE_ARN:-} ]] && params+=("AcmCertificateArn=$ZHIBU_ACM_CERTIFICATE_ARN")
[[ -n ${ZHIBU_IAM_CERTIFICATE_ID:-} ]] && params+=("IamCertificateId=$ZHIBU_IAM_CERTIFICATE_ID")

step "sam deploy: stack $STACK in $REGION"
sam deploy \
  --template-file deploy/template.yaml \
  --stack-name "$STACK" \
  --region "$REGION" \
  --capabilities CAPABILITY_IAM \
  --resolve-s3 \
  --no-confirm-changeset \
  --no-fail-on-empty-changeset \
  --parameter-overrides "${params[@]}"

output() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text
}
SITE_URL=$(output SiteUrl)
SITE_BUCKET=$(output SiteBucket)
DISTRIBUTION=$(output DistributionId)
[[ -n $SITE_BUCKET && $SITE_BUCKET != None ]] || die "stack $STACK has no SiteBucket output"

# ------------------------------------------------------------------ publish the site
BASE_URL=${ZHIBU_BASE_URL:-$SITE_URL}
BASE_URL=${BASE_URL%/}
step "building the site for $BASE_URL"
cargo run --release -- build --base-url "$BASE_URL"

# The catalog (quiz answer keys) is for the functions only: the build writes it to .zhibu/, never
# into public/ (the exclude below only guards against an old build's leftover).
# Pages and feeds: browsers revalidate every time, CloudFront keeps them a day
# (every deploy invalidates it). Everything else (styles, scripts, images): a day everywhere.
DOCS=(--exclude '*' --include '*.html' --include '*.xml' --include '*.json' --include '*.txt')
step "uploading the site to s3://$SITE_BUCKET/"
aws s3 sync public/ "s3://$SITE_BUCKET/" --delete --only-show-errors \
  --exclude '*.html' --exclude '*.xml' --exclude '*.json' --exclude '*.txt' --exclude '*/' --exclude 'js/*' \
  --cache-control 'public, max-age=86400'
# Scripts import each other by plain URLs (./api.js): revalidate them every time (cheap, by
# ETag) so a release never pairs a new module with a stale one.
aws s3 sync public/js/ "s3://$SITE_BUCKET/js/" --delete --only-show-errors \
  --cache-control 'public, no-cache'
aws s3 sync public/ "s3://$SITE_BUCKET/" --delete --only-show-errors "${DOCS[@]}" \
  --exclude "zhibu-catalog.json" \
  --cache-control 'public, max-age=0, s-maxage=86400, must-revalidate'

if ((IN_CHINA)); then
  # No CloudFront Functions in the China regions: store each folder's index.html under the
  # folder's own key too (notices/dues/), which is what CloudFront asks S3 for.
  step "storing folder pages under their folder keys (China regions)"
  (cd public && find . -mindepth 2 -name index.html -print0) |
    while IFS= read -r -d '' page; do
      page=${page#./}
      aws s3api put-object --bucket "$SITE_BUCKET" --key "${page%index.html}" \
        --body "public/$page" --content-type 'text/html; charset=utf-8' \
        --cache-control 'public, max-age=0, s-maxage=86400, must-revalidate' >/dev/null
    done
fi

step "invalidating CloudFront distribution $DISTRIBUTION"
aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" --paths '/*' \
  --query Invalidation.Id --output text

step "deployed: $SITE_URL (API under ${SITE_URL%/}/api/)"
