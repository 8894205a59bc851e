/*
 * error.cc - the one exception classifier.  Every extern "C" function of
 * lib/xapian/ is noexcept and ends in
 *     catch (...) { return translate(err, __func__); }
 * translate() re-throws and classifies from the most derived Xapian error
 * to std::exception, so no exception ever unwinds into C code.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <cstdio>
#include <new>

namespace hdxi
{

hdx_status fill(hdx_error *err, hdx_status code, const char *where,
                const char *type, const std::string &msg)
{
    if (!err)
        return code;
    hdx_error_clear(err);
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where);
    snprintf(err->type, sizeof err->type, "%s", type);
    snprintf(err->msg, sizeof err->msg, "%s", msg.c_str());
    return code;
}

static hdx_status fill_x(hdx_error *err, hdx_status code, const char *where,
                         const Xapian::Error &e)
{
    std::string msg = e.get_msg();
    if (!e.get_error_string() || !*e.get_error_string())
        return fill(err, code, where, e.get_type(), msg);
    return fill(err, code, where, e.get_type(),
                msg + " (" + e.get_error_string() + ")");
}

/* Most derived first: Xapian::Error is not a std::exception, so it, the
 * standard exceptions and `...` each need their own clause. */
hdx_status translate(hdx_error *err, const char *where) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fill_x(err, HDX_EDB_MODIFIED, where, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return fill(err, HDX_EDB_LOCKED, where, e.get_type(),
                    "index is locked by another indexer");
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fill_x(err, HDX_EDB_CORRUPT, where, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fill_x(err, HDX_ENOTFOUND, where, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return fill_x(err, HDX_ENOTFOUND, where, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return fill_x(err, HDX_EDB_OPEN, where, e);
    } catch (const Xapian::DatabaseCreateError &e) {
        return fill_x(err, HDX_EDB_OPEN, where, e);
    } catch (const Xapian::DatabaseError &e) {
        /* Glass reports damaged files mostly as plain DatabaseError. */
        return fill_x(err, HDX_EDB, where, e);
    } catch (const Xapian::QueryParserError &e) {
        return fill_x(err, HDX_EQUERY, where, e);
    } catch (const Xapian::WildcardError &e) {
        return fill_x(err, HDX_EQUERY, where, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fill_x(err, HDX_EINVAL, where, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return fill_x(err, HDX_EINVAL, where, e);
    } catch (const Xapian::Error &e) {
        return fill_x(err, HDX_EINTERNAL, where, e);
    } catch (const SchemaError &e) {
        return fill(err, HDX_ESCHEMA, where, "SchemaError", e.msg);
    } catch (const ShardError &e) {
        return fill(err, HDX_ESHARD, where, "ShardError", e.msg);
    } catch (const std::bad_alloc &) {
        return fill(err, HDX_ENOMEM, where, "bad_alloc", "out of memory");
    } catch (const std::exception &e) {
        return fill(err, HDX_EINTERNAL, where, "std::exception", e.what());
    } catch (...) {
        return fill(err, HDX_EINTERNAL, where, "unknown", "unknown exception");
    }
}

} /* namespace hdxi */
