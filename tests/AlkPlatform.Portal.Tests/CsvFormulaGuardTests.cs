using AlkPlatform.Portal.Ops;

namespace AlkPlatform.Portal.Tests;

/// <summary>The portal's own check of the CSV it streams to the browser, whatever the service sent.</summary>
public sealed class CsvFormulaGuardTests
{
    [Theory]
    [InlineData("=1+1,b\n", "'=1+1,b\n")]
    [InlineData("a,+1,c\n", "a,'+1,c\n")]
    [InlineData("a,b,-1\n", "a,b,'-1\n")]
    [InlineData("a,@A1\n", "a,'@A1\n")]
    [InlineData("a,\tcmd\n", "a,'\tcmd\n")]
    [InlineData("a,\"\rcmd\"\n", "a,\"'\rcmd\"\n")]
    [InlineData("a,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",b\n", "a,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",b\n")]
    [InlineData("x,y\n=2,-3\n", "x,y\n'=2,'-3\n")]
    public void Neutralise_CellsStartingLikeAFormula_GetALeadingQuote(string csv, string expected) =>
        Assert.Equal(expected, CsvFormulaGuard.Neutralise(csv));

    [Theory]
    [InlineData("id,caller,input\n1,ward-app,\"{\"\"a\"\":\"\"=x, -y\"\"}\"\n")]
    [InlineData("a,,b\r\n,\n")]
    [InlineData("a,'=already,'-safe\n")]
    [InlineData("a=1,b+2,c-3\n")]
    public void Neutralise_SafeCsv_IsUnchanged(string csv) => Assert.Equal(csv, CsvFormulaGuard.Neutralise(csv));
}
