namespace AlkPlatform.Portal.Pages.Revisions;

/// <summary>One statement's fields in the editor: its index in <see cref="RevisionForm.Statements"/> and the page it sits on.</summary>
public sealed record StatementEditorView(int Index, EditModel Page, bool Editable)
{
    public RevisionForm.StatementFields Statement => Page.Form.Statements[Index];
}
