#!/usr/bin/env bash
# Runs the local identity provider and the portal together for development; Ctrl+C stops both.
# The client secret the two share is generated for this run only (nothing secret lives in the repository).
# The provider serves https only (MSAL, behind the portal's token acquisition, accepts only https authorities), with the
# .NET development certificate; both processes trust it through SSL_CERT_FILE (the system roots plus that certificate).
set -euo pipefail
cd "$(dirname "$0")/.."

secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
dotnet dev-certs https >/dev/null 2>&1 || true
trust=$(mktemp -d)
dotnet dev-certs https --export-path "$trust/localhost.pem" --format PEM --no-password >/dev/null
cat /etc/ssl/certs/ca-certificates.crt "$trust/localhost.pem" > "$trust/roots.pem" 2>/dev/null || cp "$trust/localhost.pem" "$trust/roots.pem"
export SSL_CERT_FILE="$trust/roots.pem"
dotnet build portal/AlkPlatform.LocalIdentity/AlkPlatform.LocalIdentity.csproj -v quiet -nologo
dotnet build portal/AlkPlatform.Portal/AlkPlatform.Portal.csproj -v quiet -nologo

LocalIdentity__Clients__portal__ClientSecret="$secret" \
  dotnet run --no-build --project portal/AlkPlatform.LocalIdentity --launch-profile https &
identity=$!
trap 'kill "$identity" 2>/dev/null || true; rm -rf "$trust"' EXIT INT TERM

echo "Local identity provider: https://localhost:7200   Portal: https://localhost:7100   Release feed (h2c): http://localhost:7101"
AzureAd__ClientSecret="$secret" dotnet run --no-build --project portal/AlkPlatform.Portal --launch-profile portal
