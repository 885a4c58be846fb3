namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// M. F. Porter's 1980 suffix-stripping algorithm, the one SQLite FTS5's <c>porter</c> tokenizer uses, so questions and
/// statements meet on the same stems ("doses", "dosing" and "dose" all become "dose"). Lowercase ASCII letters only; any
/// other word is returned unchanged.
/// </summary>
public static class PorterStemmer
{
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2 || !word.All(char.IsAsciiLetterLower))
        {
            return word;
        }
        var b = word.ToCharArray();
        var k = b.Length - 1;
        Step1ab(b, ref k);
        if (k > 0)
        {
            Step1c(b, k);
            Step2(b, ref k);
            Step3(b, ref k);
            Step4(b, ref k);
            Step5(b, ref k);
        }
        return new string(b, 0, k + 1);
    }

    private static bool IsConsonant(char[] b, int i) => b[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(b, i - 1),
        _ => true,
    };

    /// <summary>The number of vowel-consonant sequences in b[0..j].</summary>
    private static int Measure(char[] b, int j)
    {
        var n = 0;
        var i = 0;
        while (true)
        {
            if (i > j)
            {
                return n;
            }
            if (!IsConsonant(b, i))
            {
                break;
            }
            i++;
        }
        i++;
        while (true)
        {
            while (true)
            {
                if (i > j)
                {
                    return n;
                }
                if (IsConsonant(b, i))
                {
                    break;
                }
                i++;
            }
            i++;
            n++;
            while (true)
            {
                if (i > j)
                {
                    return n;
                }
                if (!IsConsonant(b, i))
                {
                    break;
                }
                i++;
            }
            i++;
        }
    }

    private static bool HasVowel(char[] b, int j)
    {
        for (var i = 0; i <= j; i++)
        {
            if (!IsConsonant(b, i))
            {
                return true;
            }
        }
        return false;
    }

    private static bool DoubleConsonant(char[] b, int j) => j >= 1 && b[j] == b[j - 1] && IsConsonant(b, j);

    /// <summary>consonant-vowel-consonant ending at i, the last not w, x or y ("hop" but not "snow").</summary>
    private static bool Cvc(char[] b, int i) =>
        i >= 2 && IsConsonant(b, i) && !IsConsonant(b, i - 1) && IsConsonant(b, i - 2) && b[i] is not ('w' or 'x' or 'y');

    private static bool EndsWith(char[] b, int k, string suffix, out int j)
    {
        j = k - suffix.Length;
        if (suffix.Length > k + 1)
        {
            return false;
        }
        for (var i = 0; i < suffix.Length; i++)
        {
            if (b[j + 1 + i] != suffix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static void SetTo(char[] b, ref int k, int j, string replacement)
    {
        for (var i = 0; i < replacement.Length; i++)
        {
            b[j + 1 + i] = replacement[i];
        }
        k = j + replacement.Length;
    }

    private static void ReplaceIfMeasured(char[] b, ref int k, int j, string replacement)
    {
        if (Measure(b, j) > 0)
        {
            SetTo(b, ref k, j, replacement);
        }
    }

    private static void Step1ab(char[] b, ref int k)
    {
        int j;
        if (b[k] == 's')
        {
            if (EndsWith(b, k, "sses", out j))
            {
                k -= 2;
            }
            else if (EndsWith(b, k, "ies", out j))
            {
                SetTo(b, ref k, j, "i");
            }
            else if (k >= 1 && b[k - 1] != 's')
            {
                k--;
            }
        }
        if (EndsWith(b, k, "eed", out j))
        {
            if (Measure(b, j) > 0)
            {
                k--;
            }
        }
        else if ((EndsWith(b, k, "ed", out j) || EndsWith(b, k, "ing", out j)) && HasVowel(b, j))
        {
            k = j;
            if (EndsWith(b, k, "at", out j))
            {
                SetTo(b, ref k, j, "ate");
            }
            else if (EndsWith(b, k, "bl", out j))
            {
                SetTo(b, ref k, j, "ble");
            }
            else if (EndsWith(b, k, "iz", out j))
            {
                SetTo(b, ref k, j, "ize");
            }
            else if (DoubleConsonant(b, k))
            {
                if (b[k] is not ('l' or 's' or 'z'))
                {
                    k--;
                }
            }
            else if (Measure(b, k) == 1 && Cvc(b, k))
            {
                SetTo(b, ref k, k, "e");
            }
        }
    }

    private static void Step1c(char[] b, int k)
    {
        if (b[k] == 'y' && HasVowel(b, k - 1))
        {
            b[k] = 'i';
        }
    }

    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
        "ous", "ive", "ize",
    ];

    private static void Step2(char[] b, ref int k)
    {
        foreach (var (suffix, replacement) in Step2Rules)
        {
            if (EndsWith(b, k, suffix, out var j))
            {
                ReplaceIfMeasured(b, ref k, j, replacement);
                return;
            }
        }
    }

    private static void Step3(char[] b, ref int k)
    {
        foreach (var (suffix, replacement) in Step3Rules)
        {
            if (EndsWith(b, k, suffix, out var j))
            {
                ReplaceIfMeasured(b, ref k, j, replacement);
                return;
            }
        }
    }

    private static void Step4(char[] b, ref int k)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (!EndsWith(b, k, suffix, out var j))
            {
                continue;
            }
            // "-ion" is removed only after s or t ("adoption", not "lion").
            if (suffix == "ion" && (j < 0 || b[j] is not ('s' or 't')))
            {
                return;
            }
            if (Measure(b, j) > 1)
            {
                k = j;
            }
            return;
        }
    }

    private static void Step5(char[] b, ref int k)
    {
        if (b[k] == 'e')
        {
            var m = Measure(b, k - 1);
            if (m > 1 || (m == 1 && !Cvc(b, k - 1)))
            {
                k--;
            }
        }
        if (b[k] == 'l' && DoubleConsonant(b, k) && Measure(b, k - 1) > 1)
        {
            k--;
        }
    }
}
