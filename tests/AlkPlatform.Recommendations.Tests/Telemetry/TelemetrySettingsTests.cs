using AlkPlatform.Recommendations.Telemetry;
using AlkPlatform.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>When telemetry runs and where it goes, as an operator configures it (deploy/telemetry.md).</summary>
public sealed class TelemetrySettingsTests
{
    private static TelemetryOptions Read(params (string Key, string Value)[] settings) => TelemetryOptions.Read(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
        TelemetryExtensions.DefaultServiceName);

    [Fact]
    public void Telemetry_WithNothingConfigured_IsOff()
    {
        var options = Read();

        Assert.False(options.Enabled);
        Assert.False(options.Exporting);
        Assert.Equal("alk-recommendation-service", options.ServiceName);
        Assert.Equal(Environment.MachineName, options.ServiceInstanceId);
    }

    [Fact]
    public void Telemetry_WithTheStandardEndpointVariable_ExportsThere()
    {
        var options = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_SERVICE_NAME", "alk-recs-eu"));

        Assert.True(options.Enabled);
        Assert.Equal("http://collector:4317", options.OtlpEndpoint);
        Assert.Equal("alk-recs-eu", options.ServiceName);
    }

    [Fact]
    public void Telemetry_WithOurEndpointSetting_WinsOverTheVariable_AndSdkDisabledTurnsEverythingOff()
    {
        var ours = Read(("OpenTelemetry:Otlp:Endpoint", "http://a:4317"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://b:4317"));
        var disabled = Read(("OpenTelemetry:Otlp:Endpoint", "http://a:4317"), ("OTEL_SDK_DISABLED", "true"));

        Assert.Equal("http://a:4317", ours.OtlpEndpoint);
        Assert.False(disabled.Enabled);
        Assert.False(disabled.Exporting);
    }

    [Fact]
    public async Task Service_WithNothingConfigured_RunsNoOpenTelemetryProvider_ButAnswers()
    {
        using var service = new RecommendationServiceHost();

        await service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(service.Services.GetService<TracerProvider>());
        Assert.Null(service.Services.GetService<MeterProvider>());
        Assert.False(service.Get<TelemetryOptions>().Enabled);
    }
}
