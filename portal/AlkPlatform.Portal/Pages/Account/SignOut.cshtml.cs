using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AlkPlatform.Portal.Pages.Account;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Page();

    /// <summary>Ends the portal session and the identity provider's, then lands on the signed-out page.</summary>
    public IActionResult OnPost() => User.Identity?.IsAuthenticated == true
        ? SignOut(new AuthenticationProperties { RedirectUri = "/Account/SignedOut" },
            CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme)
        : RedirectToPage("/Account/SignedOut");
}
