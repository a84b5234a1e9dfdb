/* The scans of storyfold.cluster.features in C: `terms`, `names` and `anchors` without the regex
 * engine, the list of matches and the per-word Python calls.
 *
 * Optional (see setup.py): features.py falls back to its pure-Python functions, which are the
 * reference; tests/test_cluster_tokens.py checks that both give the same items in the same
 * order on every ECB+ and WMT article. The memos stay Python dicts owned by features.py (and
 * cleared there), misses call back into its Python `_term_of` / `_name_of`, so the rules for
 * what a term or a name is live in one place.
 *
 * Character classes are those of Python's `re` on str patterns: a character is `\w` iff
 * Py_UNICODE_ISALNUM(ch) || ch == '_' (what sre's SRE_UNI_IS_WORD tests).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline int
is_word(Py_UCS4 ch)
{
    if (ch < 128) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_';
    }
    return Py_UNICODE_ISALNUM(ch);
}

/* [A-ZÀ-ÖØ-ÞА-ЯЁ]: the capital that opens a name (`_NAME` in features.py) */
static inline int
is_capital(Py_UCS4 ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 0xC0 && ch <= 0xD6) || (ch >= 0xD8 && ch <= 0xDE) ||
           (ch >= 0x410 && ch <= 0x42F) || ch == 0x401;
}

/* [\w'’-]: what follows the capital in a name */
static inline int
is_name_char(Py_UCS4 ch)
{
    return is_word(ch) || ch == '\'' || ch == 0x2019 || ch == '-';
}

/* " \"'“«(": stripped from the right of the three characters before a name */
static inline int
is_opener(Py_UCS4 ch)
{
    return ch == ' ' || ch == '"' || ch == '\'' || ch == 0x201C || ch == 0xAB || ch == '(';
}

/* ".!?\n:": a name right after one of these (openers skipped) opens a sentence */
static inline int
is_sentence_end(Py_UCS4 ch)
{
    return ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == ':';
}

/* Words met before, as str objects: a table keyed by the word's code points (a cheap FNV-1a
 * hash computed during the scan) that hands back an equal str object made once. The memo look-up
 * then needs neither a new substring nor its SipHash (a str caches its hash), which were most of
 * the scans' cost. Every look-up still goes to the Python memo, so what the memo holds, when it
 * is cleared and what the fallbacks return count exactly as before: an equal str is the same
 * dict key, set member and fallback argument. Bounded: emptied when half full, like the memos. */
#define WORDS_BITS 17
#define WORDS_SIZE ((Py_ssize_t)1 << WORDS_BITS)
#define WORDS_MAX (WORDS_SIZE / 2)
#define FNV_START 0xcbf29ce484222325ULL
#define FNV_STEP(h, ch) (((h) ^ (uint64_t)(ch)) * 0x100000001b3ULL)

typedef struct {
    uint64_t hash;
    PyObject *word; /* strong reference; NULL: an empty slot */
} word_slot;

static word_slot *words_table = NULL;
static Py_ssize_t words_used = 0;
/* all ones; the tests narrow it (`_hash_mask`) so that unequal words share hashes and slots */
static uint64_t words_hash_mask = UINT64_MAX;

static void
words_clear(void)
{
    if (words_table == NULL) {
        return;
    }
    for (Py_ssize_t k = 0; k < WORDS_SIZE; k++) {
        Py_CLEAR(words_table[k].word);
    }
    words_used = 0;
}

/* the str text[start:end] (code points read as `kind`/`data`, hashed to `hash` by FNV_STEP from
 * FNV_START): the one made before when the table holds it, else a new substring, kept. New
 * reference or NULL. */
static PyObject *
word_object(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
            uint64_t hash)
{
    if (words_table == NULL) {
        words_table = PyMem_Calloc(WORDS_SIZE, sizeof(word_slot));
        if (words_table == NULL) {
            return PyErr_NoMemory();
        }
    }
    const Py_ssize_t len = end - start;
    hash = (hash ^ (hash >> 29)) & words_hash_mask;
    Py_ssize_t k = (Py_ssize_t)((hash ^ (hash >> 32)) & (WORDS_SIZE - 1));
    for (;;) {
        word_slot *slot = &words_table[k];
        PyObject *w = slot->word;
        if (w == NULL) {
            break;
        }
        if (slot->hash == hash && PyUnicode_GET_LENGTH(w) == len) {
            const int wkind = PyUnicode_KIND(w);
            const void *wdata = PyUnicode_DATA(w);
            int same;
            if (wkind == kind) {
                same = memcmp(wdata, (const char *)data + start * kind, (size_t)(len * kind)) == 0;
            }
            else { /* an ASCII word in a wider text is stored narrower: compare code points */
                same = 1;
                for (Py_ssize_t j = 0; j < len; j++) {
                    if (PyUnicode_READ(wkind, wdata, j) != PyUnicode_READ(kind, data, start + j)) {
                        same = 0;
                        break;
                    }
                }
            }
            if (same) {
                Py_INCREF(w);
                return w;
            }
        }
        k = (k + 1) & (WORDS_SIZE - 1);
    }
    PyObject *w = PyUnicode_Substring(text, start, end);
    if (w == NULL) {
        return NULL;
    }
    if (words_used >= WORDS_MAX) { /* full: start again (k stays an empty slot) */
        words_clear();
    }
    Py_INCREF(w);
    words_table[k].hash = hash;
    words_table[k].word = w;
    words_used++;
    return w;
}

/* memo[key], calling fallback(key) and storing the result on a miss. New reference or NULL.
 * `none_misses`: a stored None counts as a miss (names() reads the memo with memo.get). */
static PyObject *
memo_lookup(PyObject *memo, PyObject *key, PyObject *fallback, int none_misses)
{
    PyObject *value = PyDict_GetItemWithError(memo, key);
    if (value != NULL && !(none_misses && value == Py_None)) {
        Py_INCREF(value);
        return value;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    value = PyObject_CallOneArg(fallback, key);
    if (value == NULL) {
        return NULL;
    }
    if (PyDict_SetItem(memo, key, value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    return value;
}

/* truth value, with the common case (a str) answered without a call: 1, 0 or -1 */
static inline int
truthy(PyObject *v)
{
    if (PyUnicode_CheckExact(v)) {
        return PyUnicode_GET_LENGTH(v) != 0;
    }
    return PyObject_IsTrue(v);
}

/* counts[term] += 1 (counts a dict, possibly a Counter: its storage is a dict's) */
static int
count_one(PyObject *counts, PyObject *term)
{
    PyObject *old = PyDict_GetItemWithError(counts, term); /* borrowed */
    PyObject *nv;
    if (old == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        nv = PyLong_FromLong(1);
    }
    else if (PyLong_CheckExact(old)) {
        long v = PyLong_AsLong(old);
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        nv = v < LONG_MAX ? PyLong_FromLong(v + 1) : NULL;
        if (nv == NULL && !PyErr_Occurred()) {
            PyErr_SetString(PyExc_OverflowError, "terms(): count too large");
        }
    }
    else { /* a value put there by the caller: whatever its + does */
        PyObject *one = PyLong_FromLong(1);
        if (one == NULL) {
            return -1;
        }
        nv = PyNumber_Add(old, one);
        Py_DECREF(one);
    }
    if (nv == NULL) {
        return -1;
    }
    int rc = PyDict_SetItem(counts, term, nv);
    Py_DECREF(nv);
    return rc;
}

PyDoc_STRVAR(terms_doc,
             "terms(folded, memo, fallback, counts)\n--\n\n"
             "For each maximal run of regex \\w characters in the (casefolded) text, in order: look\n"
             "the word up in the dict `memo` (on a miss store fallback(word)) and, when the result\n"
             "is true, add 1 to counts[result]. `counts` (a dict or Counter) is filled in place, so\n"
             "its keys come in first-occurrence order; returns None.");

static PyObject *
tokens_terms(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "terms() takes 4 arguments (folded, memo, fallback, counts)");
        return NULL;
    }
    PyObject *text = args[0], *memo = args[1], *fallback = args[2], *counts = args[3];
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "terms(): text must be a str");
        return NULL;
    }
    if (!PyDict_Check(memo) || !PyDict_Check(counts)) {
        PyErr_SetString(PyExc_TypeError, "terms(): memo and counts must be dicts");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t i = 0;
    while (i < n) {
        if (!is_word(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        uint64_t h = FNV_START;
        for (; i < n; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (!is_word(ch)) {
                break;
            }
            h = FNV_STEP(h, ch);
        }
        PyObject *word = word_object(text, kind, data, start, i, h);
        if (word == NULL) {
            return NULL;
        }
        PyObject *term = memo_lookup(memo, word, fallback, 0);
        Py_DECREF(word);
        if (term == NULL) {
            return NULL;
        }
        int t = truthy(term);
        if (t > 0) {
            t = count_one(counts, term) < 0 ? -1 : 1;
        }
        Py_DECREF(term);
        if (t < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(names_doc,
             "names(text, memo, fallback)\n--\n\n"
             "The set of name forms: for each match of features._NAME, in order (re.finditer's\n"
             "matches), its form memo[word] (on a miss or None, store fallback(word)); an empty or\n"
             "already-present form is skipped, and so is a word opening a sentence (see\n"
             "features._names_py, the reference).");

static PyObject *
tokens_names(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "names() takes 3 arguments (text, memo, fallback)");
        return NULL;
    }
    PyObject *text = args[0], *memo = args[1], *fallback = args[2];
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "names(): text must be a str");
        return NULL;
    }
    if (!PyDict_Check(memo)) {
        PyErr_SetString(PyExc_TypeError, "names(): memo must be a dict");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PySet_New(NULL);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_capital(ch)) {
            i++;
            continue;
        }
        if (i > 0) {
            Py_UCS4 prev = PyUnicode_READ(kind, data, i - 1);
            if (prev == '.' || is_word(prev)) {
                i++;
                continue;
            }
        }
        Py_ssize_t start = i, end = i + 1;
        uint64_t h = FNV_STEP(FNV_START, ch);
        for (; end < n; end++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, end);
            if (!is_name_char(c)) {
                break;
            }
            h = FNV_STEP(h, c);
        }
        if (end - start < 3) { /* the capital and fewer than 2 more: no match here */
            i++;
            continue;
        }
        i = end; /* re.finditer goes on after the match */
        PyObject *word = word_object(text, kind, data, start, end, h);
        if (word == NULL) {
            goto error;
        }
        PyObject *form = memo_lookup(memo, word, fallback, 1);
        Py_DECREF(word);
        if (form == NULL) {
            goto error;
        }
        int t = truthy(form);
        if (t > 0) {
            t = PySet_Contains(out, form);
            if (t >= 0) {
                t = !t;
            }
        }
        if (t > 0) {
            /* text[max(0, start - 3):start].rstrip(" \"'“«(") must be non-empty and not end in
             * a sentence end */
            Py_ssize_t lo = start >= 3 ? start - 3 : 0, j = start;
            while (j > lo && is_opener(PyUnicode_READ(kind, data, j - 1))) {
                j--;
            }
            if (j > lo && !is_sentence_end(PyUnicode_READ(kind, data, j - 1))) {
                t = PySet_Add(out, form) < 0 ? -1 : 1;
            }
        }
        Py_DECREF(form);
        if (t < 0) {
            goto error;
        }
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* \d of Python's `re` on str patterns: sre's SRE_UNI_IS_DIGIT is Py_UNICODE_ISDECIMAL */
static inline int
is_decimal(Py_UCS4 ch)
{
    if (ch < 128) {
        return ch >= '0' && ch <= '9';
    }
    return Py_UNICODE_ISDECIMAL(ch);
}

/* The separators of `_NUM`'s class: '.', ',', a space, and the no-break, narrow no-break and
 * thin spaces that French, Czech or Russian text puts between thousands ("3 200 000"). */
static inline int
is_num_sep(Py_UCS4 ch)
{
    return ch == '.' || ch == ',' || ch == ' ' || ch == 0x00A0 || ch == 0x202F || ch == 0x2009;
}

PyDoc_STRVAR(anchors_doc,
             "anchors(text)\n--\n\n"
             "(anchors, years): the set features._anchors_py(text) gives (for each match of\n"
             "features._NUM, in re.finditer's order, its decimal digits d; kept when len(d) >= 2 and\n"
             "d.strip('0'), as '#' + d.rstrip('0') when len(d) > 4 else '#' + d) and the frozenset\n"
             "features.years() gives of it (the anchors that fullmatch features._YEAR).");

static PyObject *
tokens_anchors(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "anchors(): text must be a str");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PySet_New(NULL);
    PyObject *years = PyFrozenSet_New(NULL); /* filled while no one else holds it */
    if (out == NULL || years == NULL) {
        goto error;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_decimal(ch)) {
            i++;
            continue;
        }
        /* _NUM at i: the greedy run of [\d.,  ] after the digit, backtracked to its last digit.
         * The match's digits are all the run's digits; the characters after the last one are
         * separators (no match starts there) and the run ends on a character outside the class
         * (no digit): the scan goes on after the run. */
        const Py_ssize_t start = i;
        Py_ssize_t len = 1;                   /* digits in the match */
        Py_ssize_t zeros = ch == '0';         /* trailing ASCII '0' among them */
        Py_UCS4 maxchar = ch;
        for (i++; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (is_num_sep(c)) {
                continue;
            }
            if (!is_decimal(c)) {
                break;
            }
            len++;
            zeros = c == '0' ? zeros + 1 : 0;
            if (c > maxchar) {
                maxchar = c;
            }
        }
        if (len < 2 || zeros == len) { /* a single digit, or only '0's: d.strip("0") is empty */
            continue;
        }
        /* '#' + d.rstrip('0') when len(d) > 4, else '#' + d. The stripped '0's are ASCII like '#',
         * so the kept digits' widest character is maxchar's kind. */
        const Py_ssize_t keep = len > 4 ? len - zeros : len;
        PyObject *a = PyUnicode_New(keep + 1, maxchar > '#' ? maxchar : '#');
        if (a == NULL) {
            goto error;
        }
        const int akind = PyUnicode_KIND(a);
        void *adata = PyUnicode_DATA(a);
        PyUnicode_WRITE(akind, adata, 0, '#');
        Py_ssize_t k = 1;
        for (Py_ssize_t j = start; k <= keep; j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            if (!is_num_sep(c)) {
                PyUnicode_WRITE(akind, adata, k, c);
                k++;
            }
        }
        /* #(?:19\d\d|20[0-3]\d) in full: every character after '#' is a \d already */
        int year = 0;
        if (keep == 4) {
            Py_UCS4 c0 = PyUnicode_READ(akind, adata, 1), c1 = PyUnicode_READ(akind, adata, 2);
            Py_UCS4 c2 = PyUnicode_READ(akind, adata, 3);
            year = (c0 == '1' && c1 == '9') || (c0 == '2' && c1 == '0' && c2 >= '0' && c2 <= '3');
        }
        int rc = PySet_Add(out, a);
        if (rc == 0 && year) {
            rc = PySet_Add(years, a);
        }
        Py_DECREF(a);
        if (rc < 0) {
            goto error;
        }
    }
    PyObject *pair = PyTuple_Pack(2, out, years);
    Py_DECREF(out);
    Py_DECREF(years);
    return pair;
error:
    Py_XDECREF(out);
    Py_XDECREF(years);
    return NULL;
}

PyDoc_STRVAR(clear_words_doc,
             "_clear_words()\n--\n\n"
             "Empty the table of words met before (it only saves work: results never depend on it).\n"
             "Returns how many words it held.");

static PyObject *
tokens_clear_words(PyObject *self, PyObject *unused)
{
    Py_ssize_t used = words_used;
    words_clear();
    return PyLong_FromSsize_t(used);
}

PyDoc_STRVAR(hash_mask_doc,
             "_hash_mask(mask)\n--\n\n"
             "For tests: keep only these bits of each word's hash in the table (so that unequal\n"
             "words collide and are told apart by their code points); empties the table and returns\n"
             "the previous mask. The default, all ones: 2**64 - 1.");

static PyObject *
tokens_hash_mask(PyObject *self, PyObject *arg)
{
    unsigned long long mask = PyLong_AsUnsignedLongLong(arg);
    if (mask == (unsigned long long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    uint64_t old = words_hash_mask;
    words_clear();
    words_hash_mask = (uint64_t)mask;
    return PyLong_FromUnsignedLongLong(old);
}

static PyMethodDef tokens_methods[] = {
    {"terms", (PyCFunction)(void (*)(void))tokens_terms, METH_FASTCALL, terms_doc},
    {"names", (PyCFunction)(void (*)(void))tokens_names, METH_FASTCALL, names_doc},
    {"anchors", tokens_anchors, METH_O, anchors_doc},
    {"_clear_words", tokens_clear_words, METH_NOARGS, clear_words_doc},
    {"_hash_mask", tokens_hash_mask, METH_O, hash_mask_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef tokens_module = {
    PyModuleDef_HEAD_INIT,
    "storyfold.cluster._tokens",
    "C scans for storyfold.cluster.features (terms, names, anchors); same results as its Python code.",
    0,
    tokens_methods,
};

PyMODINIT_FUNC
PyInit__tokens(void)
{
    return PyModuleDef_Init(&tokens_module);
}
