/* The inner loops of story scoring (storyfold.cluster.stories), in C.

   Why: they run a dozen times per article over dicts of terms, names and anchors, and in
   Python each pass pays for building key sets, iterators and float objects. Every function
   here performs the same floating-point operations, in the same order, as the Python code it
   replaces (built with -ffp-contract=off, libm's own log, pow and sqrt), so the scores are
   bit-identical and the Python path stays the reference (tests compare the two on real
   articles). Sums that Python takes with math.fsum are correctly rounded, so any order gives
   the same result here too. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

/* ------------------------------------------------------------------ exact sum */

/* Correctly rounded sum of n finite doubles (Shewchuk's partials, with the half-even fix-up
   across partials that math.fsum applies): the same value math.fsum returns. Returns 0 and
   sets *out, or -1 when a partial overflows or a value is not finite (the caller then asks
   math.fsum itself, for its exact error or special value). */
static int
exact_sum(const double *v, Py_ssize_t n, double *out)
{
    double small[32];
    double *p = small;
    Py_ssize_t cap = 32, m = 0;
    int rc = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        double x = v[k];
        if (!isfinite(x)) {
            rc = -1;
            goto done;
        }
        Py_ssize_t i = 0;
        for (Py_ssize_t j = 0; j < m; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0)
                p[i++] = lo;
            x = hi;
        }
        m = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                rc = -1;
                goto done;
            }
            if (m >= cap) {
                Py_ssize_t ncap = cap * 2;
                double *np = PyMem_Malloc(ncap * sizeof(double));
                if (np == NULL) {
                    rc = -1;
                    goto done;
                }
                memcpy(np, p, m * sizeof(double));
                if (p != small)
                    PyMem_Free(p);
                p = np;
                cap = ncap;
            }
            p[m++] = x;
        }
    }
    double hi = 0.0;
    if (m > 0) {
        double lo = 0.0;
        hi = p[--m];
        while (m > 0) {
            double x = hi;
            double y = p[--m];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (m > 0 && ((lo < 0.0 && p[m - 1] < 0.0) || (lo > 0.0 && p[m - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    *out = hi;
done:
    if (p != small)
        PyMem_Free(p);
    return rc;
}

/* math.fsum over the doubles, for the cases exact_sum leaves to it. */
static PyObject *
python_fsum(const double *v, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = PyFloat_FromDouble(v[i]);
        if (f == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, f);
    }
    PyObject *math = PyImport_ImportModule("math");
    PyObject *res = NULL;
    if (math != NULL) {
        res = PyObject_CallMethod(math, "fsum", "O", list);
        Py_DECREF(math);
    }
    Py_DECREF(list);
    return res;
}

static inline int
as_double(PyObject *o, double *out)
{
    if (PyFloat_CheckExact(o)) {
        *out = PyFloat_AS_DOUBLE(o);
        return 0;
    }
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred())
        return -1;
    *out = d;
    return 0;
}

/* a call with the wrong number of arguments: the TypeError Python's own functions raise */
static int
arity(Py_ssize_t nargs, Py_ssize_t want, const char *name)
{
    if (nargs == want)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s takes %zd arguments (%zd given)", name, want, nargs);
    return -1;
}

static int
check_dict(PyObject *o, const char *what)
{
    if (!PyDict_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be a dict, not %.100s", what, Py_TYPE(o)->tp_name);
        return -1;
    }
    return 0;
}

/* The products a[k] * b[k] over the keys both hold, into a buffer (grown as needed). */
static Py_ssize_t
shared_products(PyObject *a, PyObject *b, double **buf, double *small, Py_ssize_t small_cap)
{
    if (PyDict_GET_SIZE(a) > PyDict_GET_SIZE(b)) {
        PyObject *t = a;
        a = b;
        b = t;
    }
    Py_ssize_t cap = small_cap, n = 0, pos = 0;
    double *p = small;
    PyObject *key, *va;
    while (PyDict_Next(a, &pos, &key, &va)) {
        PyObject *vb = PyDict_GetItemWithError(b, key);
        if (vb == NULL) {
            if (PyErr_Occurred())
                goto fail;
            continue;
        }
        double x, y;
        if (as_double(va, &x) < 0 || as_double(vb, &y) < 0)
            goto fail;
        if (n >= cap) {
            Py_ssize_t ncap = cap * 2;
            double *np = PyMem_Malloc(ncap * sizeof(double));
            if (np == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            memcpy(np, p, n * sizeof(double));
            if (p != small)
                PyMem_Free(p);
            p = np;
            cap = ncap;
        }
        p[n++] = x * y;
    }
    *buf = p;
    return n;
fail:
    if (p != small)
        PyMem_Free(p);
    *buf = NULL;
    return -1;
}

/* dot(a, b) as a Python float object, NULL on error. */
static PyObject *
dot_object(PyObject *a, PyObject *b)
{
    double small[64];
    double *buf;
    Py_ssize_t n = shared_products(a, b, &buf, small, 64);
    if (n < 0)
        return NULL;
    double s;
    PyObject *res;
    if (exact_sum(buf, n, &s) == 0)
        res = PyFloat_FromDouble(s);
    else
        res = python_fsum(buf, n);
    if (buf != small)
        PyMem_Free(buf);
    return res;
}

PyDoc_STRVAR(dot_doc,
"dot(a, b) -> float\n\n"
"math.fsum of a[k] * b[k] over the keys both dicts hold (exact, so in any order).");

static PyObject *
scoring_dot(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "dot(a, b)") < 0)
        return NULL;
    if (check_dict(args[0], "a") < 0 || check_dict(args[1], "b") < 0)
        return NULL;
    return dot_object(args[0], args[1]);
}

PyDoc_STRVAR(max_dot_doc,
"max_dot(a, vectors) -> float\n\n"
"The largest dot(a, v) over the dicts in the list `vectors`, and 0.0 when none is above it.");

static PyObject *
scoring_max_dot(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "max_dot(a, vectors) takes a dict and a list of dicts");
        return NULL;
    }
    PyObject *a = args[0], *vs = args[1];
    if (check_dict(a, "a") < 0)
        return NULL;
    double mx = 0.0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(vs); i++) {
        PyObject *v = PyList_GET_ITEM(vs, i);
        if (check_dict(v, "each vector") < 0)
            return NULL;
        PyObject *d = dot_object(a, v);
        if (d == NULL)
            return NULL;
        double x = PyFloat_AS_DOUBLE(d);
        Py_DECREF(d);
        if (x > mx)
            mx = x;
    }
    return PyFloat_FromDouble(mx);
}

PyDoc_STRVAR(add_into_doc,
"add_into(c, v) -> None\n\n"
"c[k] = c.get(k, 0.0) + x for each (k, x) of v, in v's order.");

static PyObject *
scoring_add_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "add_into(c, v)") < 0)
        return NULL;
    PyObject *c = args[0], *v = args[1];
    if (check_dict(c, "c") < 0 || check_dict(v, "v") < 0)
        return NULL;
    Py_ssize_t pos = 0;
    PyObject *key, *vx;
    while (PyDict_Next(v, &pos, &key, &vx)) {
        double x, old = 0.0;
        if (as_double(vx, &x) < 0)
            return NULL;
        PyObject *co = PyDict_GetItemWithError(c, key);
        if (co == NULL) {
            if (PyErr_Occurred())
                return NULL;
        }
        else if (as_double(co, &old) < 0)
            return NULL;
        PyObject *f = PyFloat_FromDouble(old + x);
        if (f == NULL)
            return NULL;
        int rc = PyDict_SetItem(c, key, f);
        Py_DECREF(f);
        if (rc < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}

static inline int
as_count(PyObject *o, double *out)
{
    /* a count (an int) as Python converts it for float arithmetic */
    if (PyLong_CheckExact(o)) {
        double d = PyLong_AsDouble(o);
        if (d == -1.0 && PyErr_Occurred())
            return -1;
        *out = d;
        return 0;
    }
    return as_double(o, out);
}

PyDoc_STRVAR(set_match_doc,
"set_match(sq, norm, counts, n, core, story_norm, core_total) -> (cos, core_share)\n\n"
"stories._set_match: sq's keys must be in sorted order (the order the sums run in).");

static PyObject *
scoring_set_match(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 7, "set_match") < 0)
        return NULL;
    PyObject *sq = args[0], *counts = args[2], *core = args[4];
    double norm, n, snorm, core_total;
    if (check_dict(sq, "sq") < 0 || check_dict(counts, "counts") < 0 || check_dict(core, "core") < 0)
        return NULL;
    if (as_double(args[1], &norm) < 0 || as_count(args[3], &n) < 0 || as_double(args[5], &snorm) < 0
        || as_double(args[6], &core_total) < 0)
        return NULL;
    if (norm == 0.0 || snorm == 0.0)
        return Py_BuildValue("(dd)", 0.0, 0.0);
    double dot = 0.0, hit = 0.0;
    int any = 0;
    Py_ssize_t pos = 0;
    PyObject *key, *vq;
    while (PyDict_Next(sq, &pos, &key, &vq)) {
        PyObject *vc = PyDict_GetItemWithError(counts, key);
        if (vc == NULL) {
            if (PyErr_Occurred())
                return NULL;
            continue;
        }
        double q, c, h = 0.0;
        if (as_double(vq, &q) < 0 || as_count(vc, &c) < 0)
            return NULL;
        PyObject *ho = PyDict_GetItemWithError(core, key);
        if (ho == NULL) {
            if (PyErr_Occurred())
                return NULL;
        }
        else if (as_double(ho, &h) < 0)
            return NULL;
        dot += q * c / n;
        hit += h;
        any = 1;
    }
    if (!any)
        return Py_BuildValue("(dd)", 0.0, 0.0);
    double cos = dot / (norm * snorm);
    return Py_BuildValue("(dd)", cos, core_total != 0.0 ? hit / core_total : 0.0);
}

/* libm's pow, never folded into x * x by the compiler (Python's float ** 2 calls pow). */
static volatile double TWO = 2.0;

PyDoc_STRVAR(set_stats_doc,
"set_stats(counts, n, df, big, core_share) -> (norm, core, core_total)\n\n"
"StoryClusterer._set_stats: per item of counts (in its order) w = log(big / (df + 1)) + 1,\n"
"f = count / n; norm = sqrt of the sequential sum of (f * w) ** 2; core = {item: w} for\n"
"f >= core_share, and the sequential sum of its values.");

static PyObject *
scoring_set_stats(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 5, "set_stats") < 0)
        return NULL;
    PyObject *counts = args[0], *df = args[2];
    double n, big, share;
    if (check_dict(counts, "counts") < 0 || check_dict(df, "df") < 0)
        return NULL;
    if (as_count(args[1], &n) < 0 || as_count(args[3], &big) < 0 || as_double(args[4], &share) < 0)
        return NULL;
    PyObject *core = PyDict_New();
    if (core == NULL)
        return NULL;
    double norm2 = 0.0, total = 0.0;
    Py_ssize_t pos = 0;
    PyObject *key, *vc;
    while (PyDict_Next(counts, &pos, &key, &vc)) {
        double c, d = 0.0;
        if (as_count(vc, &c) < 0)
            goto fail;
        PyObject *dv = PyDict_GetItemWithError(df, key);
        if (dv == NULL) {
            if (PyErr_Occurred())
                goto fail;
        }
        else if (as_count(dv, &d) < 0)
            goto fail;
        double w = log(big / (d + 1.0)) + 1.0;
        double f = c / n;
        norm2 += pow(f * w, TWO);
        if (f >= share) {
            PyObject *wo = PyFloat_FromDouble(w);
            if (wo == NULL)
                goto fail;
            int rc = PyDict_SetItem(core, key, wo);
            Py_DECREF(wo);
            if (rc < 0)
                goto fail;
            total += w;
        }
    }
    return Py_BuildValue("(dNd)", sqrt(norm2), core, total);
fail:
    Py_DECREF(core);
    return NULL;
}

PyDoc_STRVAR(unit_vector_doc,
"unit_vector(tf, tfw, ldf, base) -> (vec, vsq)\n\n"
"_DocFreqs.weigh's tf-idf vector: v = tfw[i] * (base - ldf.get(term, 0.0)) per term of tf (in\n"
"its order), n = sqrt of their sequential sum of squares (1.0 when 0.0), vec = {term: v / n},\n"
"and vsq the sequential sum of vec's squares.");

static PyObject *
scoring_unit_vector(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "unit_vector(tf, tfw, ldf, base): tfw must be a tuple");
        return NULL;
    }
    PyObject *tf = args[0], *tfw = args[1], *ldf = args[2];
    double base;
    if (check_dict(tf, "tf") < 0 || check_dict(ldf, "ldf") < 0 || as_double(args[3], &base) < 0)
        return NULL;
    Py_ssize_t len = PyDict_GET_SIZE(tf);
    if (PyTuple_GET_SIZE(tfw) != len) {
        PyErr_SetString(PyExc_ValueError, "tf and tfw differ in length");
        return NULL;
    }
    double small[256];
    double *v = len <= 256 ? small : PyMem_Malloc(len * sizeof(double));
    if (v == NULL)
        return PyErr_NoMemory();
    PyObject *vec = NULL;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *val;
    double ss = 0.0;
    while (PyDict_Next(tf, &pos, &key, &val)) {
        double w, l = 0.0;
        if (as_double(PyTuple_GET_ITEM(tfw, i), &w) < 0)
            goto done;
        PyObject *lo = PyDict_GetItemWithError(ldf, key);
        if (lo == NULL) {
            if (PyErr_Occurred())
                goto done;
        }
        else if (as_double(lo, &l) < 0)
            goto done;
        v[i] = w * (base - l);
        ss += v[i] * v[i];
        i++;
    }
    double n = sqrt(ss);
    if (n == 0.0)
        n = 1.0;
    vec = _PyDict_NewPresized(len);
    if (vec == NULL)
        goto done;
    double vsq = 0.0;
    pos = 0;
    i = 0;
    while (PyDict_Next(tf, &pos, &key, &val)) {
        double x = v[i++] / n;
        vsq += x * x;
        PyObject *f = PyFloat_FromDouble(x);
        if (f == NULL || PyDict_SetItem(vec, key, f) < 0) {
            Py_XDECREF(f);
            Py_CLEAR(vec);
            goto done;
        }
        Py_DECREF(f);
    }
    if (v != small)
        PyMem_Free(v);
    return Py_BuildValue("(Nd)", vec, vsq);
done:
    if (v != small)
        PyMem_Free(v);
    return NULL;
}

PyDoc_STRVAR(idf_squares_doc,
"idf_squares(items, df, big) -> (sq, norm)\n\n"
"stories._idf_squares: w = log(big / (df.get(item, 0) + 1)) + 1.0 per item (in order),\n"
"sq = {item: w * w}, norm = sqrt of their sequential sum (0.0 when it is 0.0).");

static PyObject *
scoring_idf_squares(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyTuple_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "idf_squares(items, df, big): items must be a tuple");
        return NULL;
    }
    PyObject *items = args[0], *df = args[1];
    double big;
    if (check_dict(df, "df") < 0 || as_count(args[2], &big) < 0)
        return NULL;
    Py_ssize_t len = PyTuple_GET_SIZE(items);
    PyObject *sq = _PyDict_NewPresized(len);
    if (sq == NULL)
        return NULL;
    double na = 0.0;
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *key = PyTuple_GET_ITEM(items, i);
        double d = 0.0;
        PyObject *dv = PyDict_GetItemWithError(df, key);
        if (dv == NULL) {
            if (PyErr_Occurred())
                goto fail;
        }
        else if (as_count(dv, &d) < 0)
            goto fail;
        double w = log(big / (d + 1.0)) + 1.0;
        double s = w * w;
        na += s;
        PyObject *f = PyFloat_FromDouble(s);
        if (f == NULL)
            goto fail;
        int rc = PyDict_SetItem(sq, key, f);
        Py_DECREF(f);
        if (rc < 0)
            goto fail;
    }
    return Py_BuildValue("(Nd)", sq, na != 0.0 ? sqrt(na) : 0.0);
fail:
    Py_DECREF(sq);
    return NULL;
}

PyDoc_STRVAR(count_terms_doc,
"count_terms(df, ldf, terms) -> None\n\n"
"_DocFreqs._count: df[t] += 1 and ldf[t] = log(df[t] + 1) for each term, in order.");

static PyObject *
scoring_count_terms(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 3, "count_terms(df, ldf, terms)") < 0)
        return NULL;
    PyObject *df = args[0], *ldf = args[1];
    if (check_dict(df, "df") < 0 || check_dict(ldf, "ldf") < 0)
        return NULL;
    PyObject *it = PyObject_GetIter(args[2]);
    if (it == NULL)
        return NULL;
    PyObject *key;
    while ((key = PyIter_Next(it)) != NULL) {
        long d = 0;
        PyObject *dv = PyDict_GetItemWithError(df, key);
        if (dv == NULL && PyErr_Occurred())
            goto fail;
        if (dv != NULL) {
            d = PyLong_AsLong(dv);
            if (d == -1 && PyErr_Occurred())
                goto fail;
        }
        d += 1;
        PyObject *c = PyLong_FromLong(d);
        if (c == NULL)
            goto fail;
        int rc = PyDict_SetItem(df, key, c);
        Py_DECREF(c);
        if (rc < 0)
            goto fail;
        PyObject *l = PyFloat_FromDouble(log((double)d + 1.0));
        if (l == NULL)
            goto fail;
        rc = PyDict_SetItem(ldf, key, l);
        Py_DECREF(l);
        if (rc < 0)
            goto fail;
        Py_DECREF(key);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
fail:
    Py_DECREF(key);
    Py_DECREF(it);
    return NULL;
}

/* counts[item] += 1, with a count of 0 for an item not there yet */
static int
bump(PyObject *counts, PyObject *item)
{
    PyObject *old = PyDict_GetItemWithError(counts, item);
    PyObject *nw;
    if (old == NULL) {
        if (PyErr_Occurred())
            return -1;
        nw = PyLong_FromLong(1);
    }
    else {
        long c = PyLong_AsLong(old);
        if (c == -1 && PyErr_Occurred())
            return -1;
        nw = PyLong_FromLong(c + 1);
    }
    if (nw == NULL)
        return -1;
    int rc = PyDict_SetItem(counts, item, nw);
    Py_DECREF(nw);
    return rc;
}

PyDoc_STRVAR(count_into_doc,
"count_into(counts, items) -> None\n\n"
"Counter.update(items) for a Counter (or dict) of int counts, without its Python frame.");

static PyObject *
scoring_count_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "count_into(counts, items)") < 0)
        return NULL;
    if (check_dict(args[0], "counts") < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(args[1], "items must be iterable");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (bump(args[0], items[i]) < 0) {
            Py_DECREF(seq);
            return NULL;
        }
    }
    Py_DECREF(seq);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(count_hits_doc,
"count_hits(index, keys, limit) -> dict\n\n"
"story id -> how many of the keys' postings (index[key], a dict of story ids) hold it, over\n"
"the keys whose posting has at most `limit` stories; in first-hit order (keys in order,\n"
"each posting in its order), as Counter.update over the chained postings counts them.");

static PyObject *
scoring_count_hits(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 3, "count_hits(index, keys, limit)") < 0)
        return NULL;
    PyObject *index = args[0];
    if (check_dict(index, "index") < 0)
        return NULL;
    Py_ssize_t limit = PyLong_AsSsize_t(args[2]);
    if (limit == -1 && PyErr_Occurred())
        return NULL;
    PyObject *keys = PySequence_Fast(args[1], "keys must be iterable");
    if (keys == NULL)
        return NULL;
    /* each story's number in first-hit order (a dict: ids compare by value), its count in a C
       array: one look-up per posting entry and no int object churn; the dict is built last */
    PyObject *slot = PyDict_New(), *hits = NULL;
    PyObject **sids = NULL;
    long *counts = NULL;
    Py_ssize_t n = 0, cap = 0;
    if (slot == NULL)
        goto done;
    Py_ssize_t nk = PySequence_Fast_GET_SIZE(keys);
    PyObject **ks = PySequence_Fast_ITEMS(keys);
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *post = PyDict_GetItemWithError(index, ks[i]);
        if (post == NULL) {
            if (PyErr_Occurred())
                goto done;
            continue;
        }
        if (check_dict(post, "a posting") < 0)
            goto done;
        if (PyDict_GET_SIZE(post) == 0 || PyDict_GET_SIZE(post) > limit)
            continue;
        Py_ssize_t pos = 0;
        PyObject *sid, *unused;
        while (PyDict_Next(post, &pos, &sid, &unused)) {
            PyObject *at = PyDict_GetItemWithError(slot, sid);
            if (at != NULL) {
                counts[PyLong_AsSsize_t(at)] += 1;
                continue;
            }
            if (PyErr_Occurred())
                goto done;
            if (n == cap) {
                Py_ssize_t ncap = cap ? 2 * cap : 64;
                PyObject **ns = PyMem_Realloc(sids, ncap * sizeof(PyObject *));
                if (ns == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                sids = ns;
                long *nc = PyMem_Realloc(counts, ncap * sizeof(long));
                if (nc == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                counts = nc;
                cap = ncap;
            }
            PyObject *io = PyLong_FromSsize_t(n);
            if (io == NULL)
                goto done;
            int rc = PyDict_SetItem(slot, sid, io);
            Py_DECREF(io);
            if (rc < 0)
                goto done;
            Py_INCREF(sid);
            sids[n] = sid;
            counts[n] = 1;
            n++;
        }
    }
    hits = _PyDict_NewPresized(n);
    if (hits == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyLong_FromLong(counts[i]);
        if (c == NULL || PyDict_SetItem(hits, sids[i], c) < 0) {
            Py_XDECREF(c);
            Py_CLEAR(hits);
            goto done;
        }
        Py_DECREF(c);
    }
done:
    for (Py_ssize_t i = 0; i < n; i++)
        Py_DECREF(sids[i]);
    PyMem_Free(sids);
    PyMem_Free(counts);
    Py_XDECREF(slot);
    Py_DECREF(keys);
    return hits;
}

PyDoc_STRVAR(post_keys_doc,
"post_keys(index, keys, sid, story_keys) -> None\n\n"
"File story `sid` under each key: index[key][sid] = None (a new posting dict for a new key)\n"
"and story_keys[key] = None, keys in order.");

static PyObject *
scoring_post_keys(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 4, "post_keys(index, keys, sid, story_keys)") < 0)
        return NULL;
    PyObject *index = args[0], *sid = args[2], *mine = args[3];
    if (check_dict(index, "index") < 0 || check_dict(mine, "story_keys") < 0)
        return NULL;
    PyObject *keys = PySequence_Fast(args[1], "keys must be iterable");
    if (keys == NULL)
        return NULL;
    Py_ssize_t nk = PySequence_Fast_GET_SIZE(keys);
    PyObject **ks = PySequence_Fast_ITEMS(keys);
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *post = PyDict_GetItemWithError(index, ks[i]);
        if (post == NULL) {
            if (PyErr_Occurred())
                goto fail;
            post = PyDict_New();
            if (post == NULL)
                goto fail;
            int rc = PyDict_SetItem(index, ks[i], post);
            Py_DECREF(post); /* the index holds it */
            if (rc < 0)
                goto fail;
        }
        else if (check_dict(post, "a posting") < 0)
            goto fail;
        if (PyDict_SetItem(post, sid, Py_None) < 0)
            goto fail;
    }
    for (Py_ssize_t i = 0; i < nk; i++) {
        if (PyDict_SetItem(mine, ks[i], Py_None) < 0)
            goto fail;
    }
    Py_DECREF(keys);
    Py_RETURN_NONE;
fail:
    Py_DECREF(keys);
    return NULL;
}

typedef struct {
    double w;
    uint64_t pre; /* a one-byte key of up to 8 characters, packed big-endian (else 0) */
    Py_ssize_t len; /* its length, or -1 for any other key */
    PyObject *key; /* borrowed from the dict */
    PyObject *val;
} Weighted;

/* heaviest first; equal weights by key, ascending (str order, as sorted() compares). Equal
   weights are common (the terms of one article with the same counts), and terms and names are
   at most 7 characters: those compare packed, without touching the string objects (code points
   below 256: byte order is code point order). The keys are exact str (checked before sorting),
   whose comparison runs no Python code and cannot fail. */
static int
heavier_first(const void *pa, const void *pb)
{
    const Weighted *a = pa, *b = pb;
    if (a->w > b->w)
        return -1;
    if (a->w < b->w)
        return 1;
    if (a->len >= 0 && b->len >= 0) {
        if (a->pre != b->pre)
            return a->pre < b->pre ? -1 : 1;
        return a->len < b->len ? -1 : (a->len > b->len ? 1 : 0);
    }
    return PyUnicode_Compare(a->key, b->key);
}

static void
pack_key(Weighted *it)
{
    it->pre = 0;
    it->len = -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(it->key);
    if (PyUnicode_KIND(it->key) != PyUnicode_1BYTE_KIND || n > 8)
        return;
    const Py_UCS1 *d = PyUnicode_1BYTE_DATA(it->key);
    uint64_t v = 0;
    for (Py_ssize_t i = 0; i < 8; i++)
        v = (v << 8) | (i < n ? d[i] : 0);
    it->pre = v;
    it->len = n;
}

PyDoc_STRVAR(heaviest_doc,
"heaviest(vec, k) -> dict\n\n"
"The k heaviest items of vec, heaviest first, equal weights in key order: what\n"
"dict(sorted(sorted(vec), key=vec.__getitem__, reverse=True)[:k]) gives (a stable sort).");

static PyObject *
scoring_heaviest(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "heaviest(vec, k)") < 0)
        return NULL;
    PyObject *vec = args[0];
    if (check_dict(vec, "vec") < 0)
        return NULL;
    Py_ssize_t k = PyLong_AsSsize_t(args[1]);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(vec);
    Weighted *items = PyMem_Malloc((n ? n : 1) * sizeof(Weighted));
    if (items == NULL)
        return PyErr_NoMemory();
    PyObject *out = NULL;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *val;
    while (PyDict_Next(vec, &pos, &key, &val)) {
        double w;
        if (as_double(val, &w) < 0)
            goto done;
        if (w != w) {
            PyErr_SetString(PyExc_ValueError, "heaviest: a NaN weight has no order");
            goto done;
        }
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "heaviest: keys must be str");
            goto done;
        }
        items[i].w = w;
        items[i].key = key;
        items[i].val = val;
        pack_key(&items[i]);
        i++;
    }
    qsort(items, n, sizeof(Weighted), heavier_first);
    if (k > n)
        k = n;
    if (k < 0)
        k = 0;
    out = _PyDict_NewPresized(k);
    if (out == NULL)
        goto done;
    for (i = 0; i < k; i++) {
        if (PyDict_SetItem(out, items[i].key, items[i].val) < 0) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    PyMem_Free(items);
    return out;
}

/* a count as a C long long, for exact integer sums; counts of title words stay far below 2**30
   (a title would need a billion words), so a larger or non-int value is refused, not wrapped */
static int
small_count(PyObject *o, long long *out)
{
    if (!PyLong_CheckExact(o)) {
        PyErr_Format(PyExc_TypeError, "a count must be an int, not %.100s", Py_TYPE(o)->tp_name);
        return -1;
    }
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v > (1LL << 30) || v < -(1LL << 30)) {
        PyErr_SetString(PyExc_OverflowError, "a count over 2**30");
        return -1;
    }
    *out = v;
    return 0;
}

PyDoc_STRVAR(count_cos_doc,
"count_cos(a, a_norm, b, b_norm) -> float or None\n\n"
"kernels.cos_py: the cosine of two count vectors (int sums, exact).");

static PyObject *
scoring_count_cos(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 4, "count_cos(a, a_norm, b, b_norm)") < 0)
        return NULL;
    PyObject *a = args[0], *b = args[2];
    double an, bn;
    if (check_dict(a, "a") < 0 || check_dict(b, "b") < 0 || as_double(args[1], &an) < 0
        || as_double(args[3], &bn) < 0)
        return NULL;
    if (PyDict_GET_SIZE(a) == 0 || bn == 0.0)
        return PyFloat_FromDouble(0.0);
    PyObject *small = a, *big = b;
    if (PyDict_GET_SIZE(a) > PyDict_GET_SIZE(b)) {
        small = b;
        big = a;
    }
    long long dot = 0;
    Py_ssize_t pos = 0;
    PyObject *key, *va;
    while (PyDict_Next(small, &pos, &key, &va)) {
        PyObject *vb = PyDict_GetItemWithError(big, key);
        if (vb == NULL) {
            if (PyErr_Occurred())
                return NULL;
            continue;
        }
        long long x, y;
        if (small_count(va, &x) < 0 || small_count(vb, &y) < 0)
            return NULL;
        dot += x * y;
    }
    if (an * bn == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "count_cos: a zero norm");
        return NULL;
    }
    return PyFloat_FromDouble((double)dot / (an * bn));
}

PyDoc_STRVAR(add_counts_doc,
"add_counts(counts, add, sq) -> int\n\n"
"counts[t] += k for each (t, k) of add, in order, and sq + the sum of 2 * old * k + k * k:\n"
"the story's title-term counts and their sum of squares, kept exactly (counts checked\n"
"first: on an error they are left as they were).");

static PyObject *
scoring_add_counts(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 3, "add_counts(counts, add, sq)") < 0)
        return NULL;
    PyObject *counts = args[0], *add = args[1];
    if (check_dict(counts, "counts") < 0 || check_dict(add, "add") < 0)
        return NULL;
    if (!PyLong_CheckExact(args[2])) {
        PyErr_SetString(PyExc_TypeError, "add_counts: sq must be an int");
        return NULL;
    }
    /* check first, so that an error leaves counts as they were */
    Py_ssize_t pos = 0;
    PyObject *key, *vk;
    while (PyDict_Next(add, &pos, &key, &vk)) {
        long long k, old = 0;
        if (small_count(vk, &k) < 0)
            return NULL;
        PyObject *o = PyDict_GetItemWithError(counts, key);
        if (o == NULL && PyErr_Occurred())
            return NULL;
        if (o != NULL && small_count(o, &old) < 0)
            return NULL;
    }
    /* each term adds at most 3 * 2**60; the sum goes into a Python int (no overflow, sq grows
       with the story) every time it nears the long long's range */
    long long inc = 0;
    PyObject *sq = args[2];
    Py_INCREF(sq);
    pos = 0;
    while (PyDict_Next(add, &pos, &key, &vk)) {
        long long k, old = 0;
        small_count(vk, &k);
        PyObject *o = PyDict_GetItemWithError(counts, key);
        if (o != NULL)
            small_count(o, &old);
        else if (PyErr_Occurred())
            goto fail;
        PyObject *nv = PyLong_FromLongLong(old + k);
        if (nv == NULL)
            goto fail;
        int rc = PyDict_SetItem(counts, key, nv);
        Py_DECREF(nv);
        if (rc < 0)
            goto fail;
        long long d = 2 * old * k + k * k;
        if (inc > (1LL << 62) || inc < -(1LL << 62)) {
            PyObject *io = PyLong_FromLongLong(inc), *t;
            if (io == NULL)
                goto fail;
            t = PyNumber_Add(sq, io);
            Py_DECREF(io);
            if (t == NULL)
                goto fail;
            Py_SETREF(sq, t);
            inc = 0;
        }
        inc += d;
    }
    PyObject *io = PyLong_FromLongLong(inc);
    if (io == NULL)
        goto fail;
    PyObject *t = PyNumber_Add(sq, io);
    Py_DECREF(io);
    Py_DECREF(sq);
    return t;
fail:
    Py_DECREF(sq);
    return NULL;
}

static PyMethodDef scoring_methods[] = {
    {"dot", (PyCFunction)(void (*)(void))scoring_dot, METH_FASTCALL, dot_doc},
    {"max_dot", (PyCFunction)(void (*)(void))scoring_max_dot, METH_FASTCALL, max_dot_doc},
    {"add_into", (PyCFunction)(void (*)(void))scoring_add_into, METH_FASTCALL, add_into_doc},
    {"set_match", (PyCFunction)(void (*)(void))scoring_set_match, METH_FASTCALL, set_match_doc},
    {"set_stats", (PyCFunction)(void (*)(void))scoring_set_stats, METH_FASTCALL, set_stats_doc},
    {"unit_vector", (PyCFunction)(void (*)(void))scoring_unit_vector, METH_FASTCALL, unit_vector_doc},
    {"idf_squares", (PyCFunction)(void (*)(void))scoring_idf_squares, METH_FASTCALL, idf_squares_doc},
    {"count_terms", (PyCFunction)(void (*)(void))scoring_count_terms, METH_FASTCALL, count_terms_doc},
    {"count_into", (PyCFunction)(void (*)(void))scoring_count_into, METH_FASTCALL, count_into_doc},
    {"count_hits", (PyCFunction)(void (*)(void))scoring_count_hits, METH_FASTCALL, count_hits_doc},
    {"post_keys", (PyCFunction)(void (*)(void))scoring_post_keys, METH_FASTCALL, post_keys_doc},
    {"heaviest", (PyCFunction)(void (*)(void))scoring_heaviest, METH_FASTCALL, heaviest_doc},
    {"count_cos", (PyCFunction)(void (*)(void))scoring_count_cos, METH_FASTCALL, count_cos_doc},
    {"add_counts", (PyCFunction)(void (*)(void))scoring_add_counts, METH_FASTCALL, add_counts_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef scoring_module = {
    PyModuleDef_HEAD_INIT,
    "_scoring",
    "The inner loops of story scoring in C, bit-identical to the Python reference.",
    -1,
    scoring_methods,
};

PyMODINIT_FUNC
PyInit__scoring(void)
{
    return PyModule_Create(&scoring_module);
}
