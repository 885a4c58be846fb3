#!/usr/bin/env bash
# The whole stack on this machine, wired: the local identity provider (Entra's v2 endpoints and claims), the portal (the
# board's pages, the signed release feed) and the recommendation service following that feed with an app token and
# trusting the portal's key. All data lives under one directory; Ctrl+C stops everything. Publishing in the portal
# changes what the service answers.
#
#   deploy/run-stack.sh [--data DIR] [--no-build]
#
# Ports (environment): ALK_STACK_IDENTITY_PORT=7200 (https) ALK_STACK_PORTAL_PORT=7100 (https)
# ALK_STACK_FEED_PORT=7101 (h2c) ALK_STACK_SERVICE_PORT=5080 (h2c); ALK_STACK_CONFIGURATION=Debug (the build used). The data directory defaults to ALK_STACK_DATA or
# .stack/ in the clone (ignored by git): identity/, portal/ (content.db, the development signing key), service/
# (releases, evaluation log), secrets/ (this run's client secrets, owner-only), trust/ (the roots both processes trust).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data=${ALK_STACK_DATA:-$repo/.stack}
build=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --data) data=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-stack.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$data" && data=$(cd "$data" && pwd)
identity_port=${ALK_STACK_IDENTITY_PORT:-7200}
portal_port=${ALK_STACK_PORTAL_PORT:-7100}
feed_port=${ALK_STACK_FEED_PORT:-7101}
service_port=${ALK_STACK_SERVICE_PORT:-5080}

# The registrations in portal/AlkPlatform.LocalIdentity/appsettings.json (ids, not secrets).
tenant=5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f
portal_app=6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e
service_app=3c9e1d7a-5b2f-4e8c-a1d0-7f6e5d4c3b2a
ehr_app=8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d

configuration=${ALK_STACK_CONFIGURATION:-Debug}
bin() { echo "$repo/$1/bin/$configuration/net10.0/$(basename "$1").dll"; }
identity_dll=$(bin portal/AlkPlatform.LocalIdentity)
portal_dll=$(bin portal/AlkPlatform.Portal)
service_dll=$(bin services/AlkPlatform.Recommendations)
if [[ $build == 1 ]]; then
  for project in portal/AlkPlatform.LocalIdentity portal/AlkPlatform.Portal services/AlkPlatform.Recommendations; do
    dotnet build "$repo/$project" --configuration "$configuration" -v quiet -nologo
  done
fi

# Secrets for this run only, owner-only files under the data directory; nothing secret is in the repository.
mkdir -p "$data/secrets" "$data/trust" "$data/identity" "$data/portal" "$data/service"
chmod 700 "$data/secrets"
for client in portal recommendations ehr-demo-app; do
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$data/secrets/$client")
done
secret() { cat "$data/secrets/$1"; }

# The provider serves https (MSAL accepts only https authorities) with the .NET development certificate; the portal and
# the service trust it through SSL_CERT_FILE: the system roots plus that certificate.
dotnet dev-certs https >/dev/null 2>&1 || true
dotnet dev-certs https --export-path "$data/trust/localhost.pem" --format PEM --no-password >/dev/null
cat /etc/ssl/certs/ca-certificates.crt "$data/trust/localhost.pem" > "$data/trust/roots.pem" 2>/dev/null \
  || cp "$data/trust/localhost.pem" "$data/trust/roots.pem"
export SSL_CERT_FILE="$data/trust/roots.pem"
export ASPNETCORE_ENVIRONMENT=Development

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stack stopped; its data stays in $data"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits until the probe (the portal's or the service's own --probe-health) succeeds, or the process it waits for exits.
await() {
  local what=$1 pid=$2; shift 2
  for _ in $(seq 1 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "run-stack.sh: $what exited during start-up (its output is above)" >&2; exit 1; fi
    sleep 0.2
  done
  echo "run-stack.sh: $what did not become ready within 60 s" >&2
  exit 1
}
probe_portal() { dotnet "$portal_dll" --probe-health "$1"; }

dotnet "$identity_dll" --contentRoot "$repo/portal/AlkPlatform.LocalIdentity" \
  --urls "https://localhost:$identity_port" --Logging:LogLevel:Default=Warning \
  "--LocalIdentity:Clients:portal:ClientSecret=$(secret portal)" \
  "--LocalIdentity:Clients:recommendations:ClientSecret=$(secret recommendations)" \
  "--LocalIdentity:Clients:ehr-demo-app:ClientSecret=$(secret ehr-demo-app)" &
pids+=($!)
await "the identity provider" "${pids[-1]}" probe_portal "https://localhost:$identity_port/$tenant/v2.0/.well-known/openid-configuration"

dotnet "$portal_dll" --contentRoot "$repo/portal/AlkPlatform.Portal" \
  "--Portal:DataDirectory=$data/portal" \
  "--Kestrel:Endpoints:Pages:Url=https://localhost:$portal_port" \
  "--Kestrel:Endpoints:ReleaseFeed:Url=http://localhost:$feed_port" \
  "--AzureAd:Instance=https://localhost:$identity_port/" \
  "--AzureAd:ClientSecret=$(secret portal)" \
  "--RecommendationService:Address=http://localhost:$service_port" \
  "--RecommendationService:Scope=api://$service_app/.default" &
pids+=($!)
await "the portal" "${pids[-1]}" probe_portal "http://localhost:$feed_port/healthz"

# The portal made (or kept) its development signing key; the service trusts its public half and nothing else.
dotnet "$service_dll" --contentRoot "$repo/services/AlkPlatform.Recommendations" \
  "--Storage:DataDirectory=$data/service" \
  "--Kestrel:Endpoints:Grpc:Url=http://localhost:$service_port" \
  "--AzureAd:Instance=https://localhost:$identity_port/" \
  "--AzureAd:TenantId=$tenant" \
  "--AzureAd:ClientId=$service_app" \
  "--AzureAd:ClientSecret=$(secret recommendations)" \
  "--Authentication:KnownApps:$ehr_app=EHR demo app" \
  "--ReleaseFeed:Address=http://localhost:$feed_port" \
  "--ReleaseFeed:Scope=api://$portal_app/.default" \
  "--ReleaseFeed:SubscriberId=stack-service" \
  "--ReleaseTrust:TrustedKeysDirectory=$data/portal/release-signing/public" &
pids+=($!)
await "the recommendation service" "${pids[-1]}" dotnet "$service_dll" --probe-health "http://localhost:$service_port" liveness

cat <<EOF

AlkPlatform stack is running (data: $data). Ctrl+C stops it.
  Portal (sign in as a demo user):  https://localhost:$portal_port
  Recommendation service (h2c):     http://localhost:$service_port   (app tokens required; following the portal's feed)
  Local identity provider:          https://localhost:$identity_port
The service serves only releases that carry two board approvals: on a new data directory the seed (revision 1) has none,
so it answers nothing (health NOT_SERVING, naming the refusal) until the board approves and publishes a revision in the
portal (README, "Portal": Ada drafts, Rui reviews, Amira and Ben approve, Pia publishes); then it serves it within a second.
An app token for the EHR demo app, then a call:
  TOKEN=\$(curl -s --cacert $data/trust/localhost.pem https://localhost:$identity_port/$tenant/oauth2/v2.0/token \\
    -d grant_type=client_credentials -d client_id=$ehr_app -d "client_secret=\$(cat $data/secrets/ehr-demo-app)" \\
    -d scope=api://$service_app/.default | sed -n 's/.*"access_token": *"\([^"]*\)".*/\1/p')
  npx -y @bufbuild/buf curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer \$TOKEN" \\
    -d '{"facts":{"line_of_therapy":"LINE_OF_THERAPY_RELAPSED_REFRACTORY","weight_kg":70}}' \\
    http://localhost:$service_port/alk.recommendation.v1.RecommendationService/Recommend
EOF

# Runs until Ctrl+C, or until any of the three exits (then the others are stopped too).
wait -n "${pids[@]}" || true
echo "run-stack.sh: a process of the stack exited; stopping the others" >&2
exit 1
