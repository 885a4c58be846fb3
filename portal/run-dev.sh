#!/usr/bin/env bash
# Runs the local identity provider and the portal together for development; Ctrl+C stops both.
# The client secret the two share is generated for this run only (nothing secret lives in the repository).
set -euo pipefail
cd "$(dirname "$0")/.."

secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
dotnet dev-certs https >/dev/null 2>&1 || true
dotnet build portal/AlkPlatform.LocalIdentity/AlkPlatform.LocalIdentity.csproj -v quiet -nologo
dotnet build portal/AlkPlatform.Portal/AlkPlatform.Portal.csproj -v quiet -nologo

LocalIdentity__Clients__0__ClientSecret="$secret" \
  dotnet run --no-build --project portal/AlkPlatform.LocalIdentity --launch-profile http &
identity=$!
trap 'kill "$identity" 2>/dev/null || true' EXIT INT TERM

echo "Local identity provider: http://localhost:7200   Portal: https://localhost:7100   Release feed (h2c): http://localhost:7101"
AzureAd__ClientSecret="$secret" dotnet run --no-build --project portal/AlkPlatform.Portal --launch-profile portal
