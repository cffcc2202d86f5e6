/* The names of the actors' kinds and roles, as a scenario spells them. */
#include "sc.h"

const char *const sc_kind_names[KIND_COUNT] = {
    "statutory", "voluntary", "community", "private", "citizen_panel"};
const char *const sc_role_names[ROLE_COUNT] = {"lead", "convener", "member"};
