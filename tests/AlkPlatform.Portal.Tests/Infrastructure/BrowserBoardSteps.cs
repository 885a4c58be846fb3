using Microsoft.Playwright;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>Board steps several browser journeys share, clicked as a person would, each checked by what the page says.</summary>
public static class BrowserBoardSteps
{
    /// <summary>
    /// The author starts a draft from <paramref name="fromRevision"/>, appends <paramref name="appendToFirstStatement"/> to
    /// the first statement, saves and submits it (as revision <paramref name="fromRevision"/> + 1).
    /// </summary>
    public static async Task DraftEditAndSubmitAsync(BrowserSession browser, IPage author, string guidelineId, int fromRevision,
        string changeSummary, string appendToFirstStatement)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(author);
        var draft = fromRevision + 1;
        await browser.GoAsync(author, $"/Guidelines/History?id={guidelineId}");
        await author.GetByRole(AriaRole.Button, new() { Name = $"Start a new draft from revision {fromRevision}" }).ClickAsync();
        await author.GetByLabel("Change summary").FillAsync(changeSummary);
        var statement = author.Locator("#st-text-0");
        await statement.FillAsync(await statement.InputValueAsync() + appendToFirstStatement);
        await author.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(author.GetByRole(AriaRole.Status)).ToContainTextAsync($"Saved revision {draft}");
        await SubmitAsync(author, draft);
    }

    /// <summary>Submits the draft open on the page and waits for the confirmation.</summary>
    public static async Task SubmitAsync(IPage author, int revision)
    {
        ArgumentNullException.ThrowIfNull(author);
        await author.GetByRole(AriaRole.Link, new() { Name = "Submit for review…" }).ClickAsync();
        await author.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Assertions.Expect(author.GetByRole(AriaRole.Status)).ToContainTextAsync($"Revision {revision} submitted");
    }
}
