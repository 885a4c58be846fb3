using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AlkPlatform.Portal.Pages;

public sealed class IndexModel : PageModel
{
    public string DisplayName => AlkPlatform.Portal.Authentication.PortalUser.From(User).Name;

    public void OnGet()
    {
    }
}
