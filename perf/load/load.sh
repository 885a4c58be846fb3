#!/usr/bin/env bash
# The load benchmark, one command: installs h2load, python3 and curl if missing, then load.py builds Release, runs
# Recommend, a bare gRPC echo and a sized echo interleaved, and writes a report to perf/load/results/. Options (all
# optional): --pairs N --seconds S --warmup-seconds S --soak-seconds S --rate-fraction F --skip-soak --skip-publish
# --keep-data --authentication --telemetry --out DIR. See perf/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

install_tools() {
  local need=()
  command -v h2load >/dev/null 2>&1 || need+=(nghttp2-client)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

install_tools
exec python3 perf/load/load.py "$@"
