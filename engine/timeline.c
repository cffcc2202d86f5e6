#include "timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

const char *const ps_timeline_common_keys[] = {"at", "until", "ramp", "op", "value",
                                               "target", "shock", "event", "label"};
const size_t ps_timeline_n_common_keys =
    sizeof ps_timeline_common_keys / sizeof *ps_timeline_common_keys;

static const char *const S_ops[] = {"set", "scale", "add"};

int ps_timeline_read(ps_timeline *tl, const config_setting_t *list, int weeks, ps_diag *d)
{
    if (!list) return 0;
    int before = d->count;
    if (ps_cfg_expect_type(list, CONFIG_TYPE_LIST, d) != 0) return -1;
    int n = config_setting_length(list);
    ps_intervention *items = realloc(tl->items, (tl->n + (size_t)n + 1) * sizeof *items);
    if (!items) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return -1;
    }
    tl->items = items;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) != 0) continue;
        ps_intervention *iv = &tl->items[tl->n];
        memset(iv, 0, sizeof *iv);
        iv->entry = g;
        const char *file;
        ps_cfg_where(g, &file, &iv->line);
        snprintf(iv->file, sizeof iv->file, "%s", file);
        long long v;
        int errs = d->count;
        if (ps_cfg_int(g, "at", 1, 0, 0, 1000000, &v, d) > 0) {
            iv->at = (int)v;
            if (iv->at >= weeks)
                ps_cfg_error(config_setting_get_member(g, "at"), d,
                             "week %d is after the horizon (the run reports weeks 0 to %d)",
                             iv->at, weeks - 1);
        }
        if (ps_cfg_int(g, "until", 0, -1, -1, 1000000, &v, d) >= 0) {
            iv->until = (int)v;
            if (iv->until >= 0 && iv->until <= iv->at)
                ps_cfg_error(config_setting_get_member(g, "until"), d,
                             "must be after 'at' (%d), or -1 for never", iv->at);
        }
        if (ps_cfg_int(g, "ramp", 0, 0, 0, 100000, &v, d) >= 0) iv->ramp = (int)v;
        ps_cfg_string(g, "target", 0, NULL, &iv->target, d);
        ps_cfg_string(g, "shock", 0, NULL, &iv->shock, d);
        const char *event = NULL;
        ps_cfg_string(g, "event", 0, NULL, &event, d);
        ps_cfg_text(g, "label", 0, NULL, PS_TEXT_FREE, &iv->label, d);
        if ((iv->target != NULL) + (iv->shock != NULL) + (event != NULL) != 1) {
            ps_cfg_error(g, d, "give one of a target (with op and value), a named shock or a "
                               "named event");
            continue;
        }
        if (event) {
            iv->shock = event;
            iv->event = 1;
        }
        if (iv->target) {
            const char *op;
            if (ps_cfg_string(g, "op", 1, "", &op, d) > 0) {
                size_t k;
                for (k = 0; k < 3; k++)
                    if (strcmp(op, S_ops[k]) == 0) break;
                if (k == 3)
                    ps_cfg_error(config_setting_get_member(g, "op"), d,
                                 "unknown op '%s' (expected set, scale or add)", op);
                else
                    iv->op = (ps_op)k;
            }
            ps_cfg_double(g, "value", 1, 0, -1e12, 1e12, &iv->value, d);
        } else {
            iv->op = PS_OP_SHOCK;
            if (config_setting_get_member(g, "op"))
                ps_cfg_error(config_setting_get_member(g, "op"), d,
                             "a named %s takes no op", iv->event ? "event" : "shock");
        }
        if (!iv->label) iv->label = iv->target ? iv->target : iv->shock;
        iv->index = tl->n;
        if (d->count == errs) tl->n++;
    }
    return d->count > before ? -1 : 0;
}

void ps_timeline_free(ps_timeline *tl, void (*free_handle)(void *))
{
    for (size_t i = 0; i < tl->n; i++)
        if (free_handle && tl->items[i].handle) free_handle(tl->items[i].handle);
    free(tl->items);
    tl->items = NULL;
    tl->n = 0;
}

double ps_timeline_level(const ps_intervention *iv, int week, double speed)
{
    if (week < iv->at) return 0;
    if (iv->until >= 0 && week >= iv->until) return 0;
    if (iv->ramp <= 0) return 1;
    double ramp = iv->ramp / (speed >= 1 ? speed : 1);
    double level = (week - iv->at + 1) / ramp;
    return level < 1 ? level : 1;
}
