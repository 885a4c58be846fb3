# The recommendation service. Build from the repository root:
#   docker build -f deploy/containers/recommendation-service.Dockerfile -t alkplatform/recommendation-service .
# The SDK global.json asks for (10.0.400, latest feature band) and the runtime the tests ran on, pinned to patch level.
ARG DOTNET_SDK_VERSION=10.0.401
ARG DOTNET_RUNTIME_VERSION=10.0.12

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_SDK_VERSION} AS build
WORKDIR /src
# Restore first, from the project files alone, so the package layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY services/AlkPlatform.Contracts/AlkPlatform.Contracts.csproj services/AlkPlatform.Contracts/
COPY services/AlkPlatform.Guidelines/AlkPlatform.Guidelines.csproj services/AlkPlatform.Guidelines/
COPY services/AlkPlatform.Authentication/AlkPlatform.Authentication.csproj services/AlkPlatform.Authentication/
COPY services/AlkPlatform.Telemetry/AlkPlatform.Telemetry.csproj services/AlkPlatform.Telemetry/
COPY services/AlkPlatform.Recommendations/AlkPlatform.Recommendations.csproj services/AlkPlatform.Recommendations/
RUN dotnet restore services/AlkPlatform.Recommendations/AlkPlatform.Recommendations.csproj
COPY protos/ protos/
COPY services/ services/
RUN dotnet publish services/AlkPlatform.Recommendations/AlkPlatform.Recommendations.csproj \
      --no-restore --configuration Release --output /app -p:UseAppHost=false \
    && mkdir -p /data

# Chiseled: no shell, no package manager, a non-root user (APP_UID 1654); InvariantGlobalization needs no ICU.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_RUNTIME_VERSION}-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY --from=build --chown=1654:1654 /data /data
ENV ASPNETCORE_ENVIRONMENT=Production \
    Storage__DataDirectory=/data \
    Kestrel__Endpoints__Grpc__Url=http://+:8080 \
    Kestrel__Endpoints__Grpc__Protocols=Http2
VOLUME ["/data"]
EXPOSE 8080
USER 1654
# grpc.health.v1 on the service's own port, through the service binary (the image has no shell or curl); six tries
# cover start-up (dockerfilelint 1.8.0 misreads --start-period).
HEALTHCHECK --interval=10s --timeout=5s --retries=6 \
  CMD ["dotnet", "/app/AlkPlatform.Recommendations.dll", "--probe-health", "http://127.0.0.1:8080"]
ENTRYPOINT ["dotnet", "/app/AlkPlatform.Recommendations.dll"]
