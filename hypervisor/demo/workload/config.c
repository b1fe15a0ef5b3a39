/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The workload's build configuration, as data only: a unit without
 * functions, as hypervisors have (board tables, configurations).  Built with
 * coverage like the other units, it gets a .gcno and never a .gcda (GCC
 * registers no gcov_info for it), and the report must list it rather than
 * trip over it.
 */

const char hv_workload_config[] = "cells=2 regions=4 console=80";
