using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AlkPlatform.Portal.Pages;

public sealed class IndexModel : PageModel
{
    public string DisplayName => User.FindFirstValue("name") ?? "";

    public void OnGet()
    {
    }
}
