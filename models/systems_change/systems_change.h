/* The systems-change model of the nine preconditions (docs/model.md). */
#ifndef SYSTEMS_CHANGE_H
#define SYSTEMS_CHANGE_H

#include "model.h"

extern const ps_model_type sc_model_type;

#endif
