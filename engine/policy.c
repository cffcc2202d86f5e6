#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int ps_policy_open(ps_policy *p, const char *path, ps_diag *d)
{
    memset(p, 0, sizeof *p);
    snprintf(p->path, sizeof p->path, "%s", path);
    config_init(&p->cfg);
    p->live = 1;
    if (ps_cfg_read_file(&p->cfg, path, "policy file", d) != 0) return -1;
    static const char *const keys[] = {"name", "description", "set", "timeline"};
    const config_setting_t *root = config_root_setting(&p->cfg);
    int before = d->count;
    ps_cfg_check_keys(root, keys, 4, d);
    /* the name is the policy arm's in every file compare writes */
    ps_cfg_text(root, "name", 0, path, PS_TEXT_FREE, &p->name, d);
    ps_cfg_text(root, "description", 0, "", PS_TEXT_FREE, &p->description, d);
    ps_cfg_sets(config_setting_get_member(root, "set"), &p->sets, &p->n_sets, d);
    p->timeline = config_setting_get_member(root, "timeline");
    if (!p->n_sets && !p->timeline && d->count == before)
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "",
                    "a policy needs a 'set' list or a 'timeline', or both");
    return d->count > before ? -1 : 0;
}

void ps_policy_close(ps_policy *p)
{
    free(p->sets);
    p->sets = NULL;
    if (p->live) config_destroy(&p->cfg);
    p->live = 0;
}
