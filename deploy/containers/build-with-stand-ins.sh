#!/usr/bin/env bash
# Builds both Dockerfiles, unchanged, where Microsoft's base images cannot be pulled and no Docker daemon runs: the two
# base images are replaced by stand-ins made here and tagged with the real names (podman --pull=never uses them), then
# each image is checked the way a container runtime would use it and its application is run from the image's files.
#
#   deploy/containers/build-with-stand-ins.sh        # needs root (podman, debootstrap); about 6 minutes
#
# The stand-ins: a Debian minimal root file system with this machine's .NET SDK (for the build stage) or only its
# runtimes and no shell (for the chiseled runtime stage). Where a real registry is reachable, build with the real images
# instead (`docker build` as in deploy/README.md, section 2); this script is the check for machines where it is not.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${STAND_IN_DIR:-${TMPDIR:-/tmp}/alkplatform-stand-ins}"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
pinned() { sed -n "s/^ARG $1=//p" "$repo/deploy/containers/$2.Dockerfile"; }
sdk_version="$(pinned DOTNET_SDK_VERSION recommendation-service)"
runtime_version="$(pinned DOTNET_RUNTIME_VERSION recommendation-service)"

fail() { echo "build-with-stand-ins: $*" >&2; exit 1; }

[[ "$(pinned DOTNET_SDK_VERSION portal) $(pinned DOTNET_RUNTIME_VERSION portal)" == "$sdk_version $runtime_version" ]] \
  || fail "the two Dockerfiles pin different base images; these stand-ins are for $sdk_version / $runtime_version"

[[ "$(id -u)" == 0 ]] || fail "run as root (podman's chroot isolation and debootstrap need it)"
[[ -d "$dotnet_root/sdk/$sdk_version" ]] || fail "the Dockerfiles pin SDK $sdk_version; this machine has $(ls "$dotnet_root/sdk" | tr '\n' ' ')"
[[ -d "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime_version" ]] \
  || fail "the Dockerfiles pin runtime $runtime_version; this machine has $(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | tr '\n' ' ')"
if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman debootstrap >/dev/null
fi

mkdir -p "$work"
rootfs="$work/rootfs"
if [[ ! -x "$rootfs/usr/bin/env" ]]; then
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3 bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
fi

# The SDK stand-in: Debian with this machine's whole .NET installation, `dotnet` on the PATH as in the real image, and
# this machine's certificate authorities (a build network that inspects TLS has its own, which the restore must trust).
sdk_image="mcr.microsoft.com/dotnet/sdk:$sdk_version"
runtime_image="mcr.microsoft.com/dotnet/aspnet:$runtime_version-noble-chiseled"
if ! podman image exists "$sdk_image"; then
  tar -C "$rootfs" -c . \
    --transform 's,^\./,,' \
    | podman import --change 'ENV PATH=/usr/share/dotnet:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV DOTNET_ROOT=/usr/share/dotnet' - "$sdk_image.base" >/dev/null
  container="$(buildah from --pull-never "$sdk_image.base")"
  buildah copy "$container" "$dotnet_root" /usr/share/dotnet >/dev/null
  buildah copy "$container" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
  buildah commit -q "$container" "$sdk_image" >/dev/null
  buildah rm "$container" >/dev/null
  podman rmi "$sdk_image.base" >/dev/null
fi

# The runtime stand-in: as chiseled as this can make it — no shell, no package manager, the two runtimes only.
if ! podman image exists "$runtime_image"; then
  chiseled="$work/chiseled"
  rm -rf "$chiseled" && mkdir -p "$chiseled/usr/share/dotnet/shared"
  tar -C "$rootfs" -c lib lib64 usr/lib etc/ssl etc/passwd etc/group usr/share/ca-certificates usr/share/zoneinfo 2>/dev/null \
    | tar -C "$chiseled" -x
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$chiseled/usr/share/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$chiseled/usr/share/dotnet/shared/"
  mkdir -p "$chiseled/usr/bin" "$chiseled/tmp" && ln -s /usr/share/dotnet/dotnet "$chiseled/usr/bin/dotnet"
  tar -C "$chiseled" -c . --transform 's,^\./,,' \
    | podman import --change 'ENV APP_UID=1654 DOTNET_RUNNING_IN_CONTAINER=true' - "$runtime_image" >/dev/null
fi

check() { # image, user, exposed port, health-check command fragment
  local image="$1" config
  config="$(podman image inspect "$image" --format '{{.Config.User}}|{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}|{{range $v, $_ := .Config.Volumes}}{{$v}}{{end}}|{{json .Config.Healthcheck}}')"
  [[ "$config" == "$2|"*"$3"*"|/data|"*"$4"* ]] || fail "$image: user|ports|volumes|healthcheck = $config"
  echo "  $image: USER $2, EXPOSE $3, VOLUME /data, HEALTHCHECK $4"
}

build() { # Dockerfile, tag
  echo "building $2 from deploy/containers/$1 (real Dockerfile, stand-in base images)"
  local log="$work/build-${1%.Dockerfile}.log"
  podman build --isolation chroot --pull=never --format docker -f "$repo/deploy/containers/$1" -t "$2" "$repo" >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; fail "podman build of $1 failed (whole log: $log)"; }
}

build recommendation-service.Dockerfile alkplatform/recommendation-service:stand-in
check alkplatform/recommendation-service:stand-in 1654 8080/tcp "--probe-health"
build portal.Dockerfile alkplatform/portal:stand-in
check alkplatform/portal:stand-in 1654 8443/tcp "--probe-health"

# `podman run` cannot start containers in this sandbox, so run the service from the image's own /app with this machine's
# runtime, configured as the Kubernetes ConfigMap configures it (subscribed to a portal's feed, here one that is not up):
# it must start, fail its image's health check (NOT_SERVING: no release yet, exit 1) and pass the liveness check (exit 0),
# as the image's HEALTHCHECK and the Kubernetes probes would see it.
mount="$(podman image mount alkplatform/recommendation-service:stand-in)"
trap 'kill "${service:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "${data:-}"
  podman image unmount alkplatform/recommendation-service:stand-in >/dev/null 2>&1 || true' EXIT
[[ -f "$mount/app/AlkPlatform.Recommendations.dll" ]] || fail "the service image has no /app/AlkPlatform.Recommendations.dll"
[[ "$(stat -c %u "$mount/data")" == 1654 ]] || fail "the service image's /data is not owned by its user 1654"
data="$(mktemp -d)"; mkdir "$data/data"
# A throwaway P-256 public key to trust (the service refuses to subscribe to a feed without one); made here, never kept.
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl ec -pubout -out "$data/trusted-key.pem" 2>/dev/null
port=18480
ASPNETCORE_ENVIRONMENT=Production Storage__DataDirectory="$data/data" \
  Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$port" Kestrel__Endpoints__Grpc__Protocols=Http2 \
  AzureAd__Instance=https://login.microsoftonline.com/ AzureAd__TenantId=00000000-0000-0000-0000-000000000001 \
  AzureAd__ClientId=00000000-0000-0000-0000-000000000002 \
  ReleaseFeed__Address=http://127.0.0.1:9 ReleaseFeed__Scope=api://00000000-0000-0000-0000-000000000003/.default \
  ReleaseTrust__TrustedKeyFiles__0="$data/trusted-key.pem" \
  dotnet "$mount/app/AlkPlatform.Recommendations.dll" >"$work/service.log" 2>&1 &
service=$!
probe() { dotnet "$mount/app/AlkPlatform.Recommendations.dll" --probe-health "http://127.0.0.1:$port" "$@" >/dev/null 2>&1; }
for _ in $(seq 1 60); do
  probe liveness && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log" >&2; fail "the service from the image exited"; }
  sleep 1
done
probe liveness || fail "the service from the image never answered its liveness probe"
if probe; then
  fail "the service from the image said SERVING with no release active"
fi
echo "  the service from the image starts; liveness probe exit 0, readiness probe exit 1 (no release yet)"
echo "both images build from the real Dockerfiles"
