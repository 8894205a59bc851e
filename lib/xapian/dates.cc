/*
 * dates.cc - the updated: query field and date ranges on the updated slot.
 *
 * `updated:` is a Xapian::FieldProcessor (as notmuch's date: field is),
 * so the parser hands it the whole value and no query text is rewritten
 * beforehand: >D, >=D, <D, <=D, D..D (either end may be open) and a bare
 * day D.  Ends are YYYY-MM-DD (or YYYYMMDD); both ends are included.  A
 * value that is not a date restricts nothing, rather than failing a query
 * that was pasted from a log ("Last updated:yesterday").
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <cstring>

namespace hdxi
{

/* "YYYY-MM-DD" or "YYYYMMDD" → the slot form; false otherwise. */
static bool slot_day(const std::string &d, char out[9])
{
    if (d.size() == 8 &&
        d.find_first_not_of("0123456789") == std::string::npos) {
        memcpy(out, d.data(), 8);
        out[8] = '\0';
        return true;
    }
    return hdxi_slot_date(d.c_str(), out);
}

/* lo/hi: slot-form ends, "" for an open end. */
static Xapian::Query slot_range(const char *lo, const char *hi)
{
    if (*lo && *hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, HDXI_SLOT_UPDATED,
                             lo, hi);
    if (*lo)
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, HDXI_SLOT_UPDATED, lo);
    if (*hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_LE, HDXI_SLOT_UPDATED, hi);
    return Xapian::Query();
}

Xapian::Query date_range(const char *from, const char *to)
{
    char lo[9] = "", hi[9] = "";
    if (from && !hdxi_slot_date(from, lo))
        lo[0] = '\0';
    if (to && !hdxi_slot_date(to, hi))
        hi[0] = '\0';
    return slot_range(lo, hi);
}

namespace
{

class UpdatedField : public Xapian::FieldProcessor
{
  public:
    Xapian::Query operator()(const std::string &v) override
    {
        std::string from, to;
        size_t dots = v.find("..");
        if (v.compare(0, 2, ">=") == 0)
            from = v.substr(2);
        else if (v.compare(0, 1, ">") == 0)
            from = v.substr(1);
        else if (v.compare(0, 2, "<=") == 0)
            to = v.substr(2);
        else if (v.compare(0, 1, "<") == 0)
            to = v.substr(1);
        else if (dots != std::string::npos) {
            from = v.substr(0, dots);
            to = v.substr(dots + 2);
        } else {
            from = to = v;
        }
        char lo[9] = "", hi[9] = "";
        bool ok = (from.empty() || slot_day(from, lo)) &&
                  (to.empty() || slot_day(to, hi)) && (*lo || *hi);
        if (!ok)
            return Xapian::Query::MatchAll;
        return slot_range(lo, hi);
    }
};

} /* namespace */

void add_updated_field(Xapian::QueryParser &qp)
{
    /* Not exclusive: "updated:>A updated:<B" is A AND B, a window (an
     * exclusive boolean field would OR two values of itself). */
    qp.add_boolean_prefix(HDXI_FIELD_UPDATED, (new UpdatedField)->release(),
                          false);
}

} /* namespace hdxi */
