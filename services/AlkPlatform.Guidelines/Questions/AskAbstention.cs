namespace AlkPlatform.Guidelines.Questions;

/// <summary>Why Ask did not answer; <see cref="None"/> when it did.</summary>
public enum AskAbstention
{
    None,
    /// <summary>The question uses words the approved content has never heard of; they are named.</summary>
    UnknownTerms,
    /// <summary>It names a population or disease that no statement covering the rest of the question names.</summary>
    QualifierNotCovered,
    /// <summary>Every word is known, but no single statement covers them together.</summary>
    CombinationNotCovered,
    /// <summary>Nothing in it is content: only generic words, or nothing at all.</summary>
    NothingToAnswer,
}
