using System.Text;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>What a caller sends (its app label) ends up in an ops spreadsheet: it must open there as text, never as a formula.</summary>
public sealed class CsvExportSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_Csv_CallerLabelsThatStartLikeFormulas_AreExportedAsText()
    {
        await using var host = new RecommendationServiceHost();
        string[] labels = ["=HYPERLINK(\"http://evil.example\",\"open\")", "+1+1", "-2-2", "@SUM(A1)", "plain-app"];
        foreach (var label in labels)
        {
            await host.Recommendations(label).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }

        using var call = host.Ops().ExportEvaluationLogs(new ExportEvaluationLogsRequest { Format = ExportFormat.Csv }, cancellationToken: Ct);
        var csv = new StringBuilder();
        while (await call.ResponseStream.MoveNext(Ct))
        {
            csv.Append(call.ResponseStream.Current.Chunk);
        }
        var text = csv.ToString();

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",", text, StringComparison.Ordinal);
        Assert.Contains(",'+1+1,", text, StringComparison.Ordinal);
        Assert.Contains(",'-2-2,", text, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(A1),", text, StringComparison.Ordinal);
        Assert.Contains(",plain-app,", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@A1", "'@A1")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData("a=1", "a=1")]
    [InlineData("", "")]
    public void Cell_StartingLikeAFormula_GetsALeadingQuote_ThenCsvQuoting(string cell, string written)
    {
        var csv = new StringBuilder();
        CsvCells.Append(csv, cell);

        Assert.Equal(written, csv.ToString());
    }
}
