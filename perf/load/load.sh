#!/usr/bin/env bash
# The load benchmark, one command: installs h2load if missing, builds Release, then runs Recommend and a bare gRPC echo
# interleaved and writes a report. Options (all optional): --pairs N --seconds S --soak-seconds S --skip-soak
# --skip-publish --keep-data --out DIR. See PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need=()
command -v h2load >/dev/null 2>&1 || need+=(nghttp2-client)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build services/AlkPlatform.Recommendations/AlkPlatform.Recommendations.csproj -c Release -v quiet -nologo
dotnet build tests/AlkPlatform.EchoServer/AlkPlatform.EchoServer.csproj -c Release -v quiet -nologo

exec python3 deploy/bench/load.py "$@"
