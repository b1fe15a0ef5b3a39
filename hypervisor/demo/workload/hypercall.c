/* SPDX-License-Identifier: BSD-2-Clause */
/* The hypercall dispatcher: validate, route, count. */
#include "hypercall.h"
#include "hv.h"

/* HC_CONSOLE_PRINT messages: a guest names a format, it never passes one. */
static const char *const messages[] = {
	"guest %u: hello from cpu %u", "guest %u: cell %u is up",
	"guest %u: value %4x",         "guest %u: %d%%",
	"guest %u: broken %q format",
};

#define N_MESSAGES (sizeof(messages) / sizeof(messages[0]))

static long console_print(struct hv_cpu *cpu, const unsigned long *arg)
{
	if (arg[0] >= N_MESSAGES)
		return -HV_EINVAL;
	hv_console_printf(&cpu->console, messages[arg[0]], arg[1], arg[2]);
	hv_console_putc(&cpu->console, '\n');
	return 0;
}

static long console_putc(struct hv_cpu *cpu, unsigned long c)
{
	if (c > 0xff)
		return -HV_EINVAL;
	hv_console_putc(&cpu->console, (int)c);
	return 0;
}

static long cpu_info(const struct hv_cpu *cpu, unsigned long query)
{
	switch (query) {
	case HV_INFO_CPU_ID:
		return (long)cpu->id;
	case HV_INFO_CALLS:
		return (long)cpu->calls;
	case HV_INFO_ERRORS:
		return (long)cpu->errors;
	case HV_INFO_CELLS:
		return (long)hv_cell_count(&cpu->cells);
	default:
		return -HV_EINVAL;
	}
}

static long dispatch(struct hv_cpu *cpu, const struct hv_regs *regs)
{
	const unsigned long *a = regs->arg;

	switch (regs->code) {
	case HC_VERSION:
		return HV_ABI_VERSION;
	case HC_CONSOLE_PUTC:
		return console_putc(cpu, a[0]);
	case HC_CONSOLE_PRINT:
		return console_print(cpu, a);
	case HC_CELL_CREATE:
		return hv_cell_create(&cpu->cells, a[0]);
	case HC_CELL_ADD_REGION:
		return hv_cell_add_region(&cpu->cells, a[0], a[1], a[2], a[3]);
	case HC_CELL_START:
		return hv_cell_start(&cpu->cells, a[0]);
	case HC_CELL_STOP:
		return hv_cell_stop(&cpu->cells, a[0]);
	case HC_CELL_DESTROY:
		return hv_cell_destroy(&cpu->cells, a[0]);
	case HC_CELL_STATE:
		return hv_cell_state(&cpu->cells, a[0]);
	case HC_MEM_ACCESS:
		return hv_cell_check_access(&cpu->cells, a[0], a[1], a[2],
					    a[3]);
	case HC_CPU_INFO:
		return cpu_info(cpu, a[0]);
	default:
		return -HV_ENOSYS;
	}
}

enum hv_action hv_hypercall(struct hv_cpu *cpu, struct hv_regs *regs)
{
	cpu->calls++;
	if (regs->code == HC_GUEST_DONE) {
		cpu->guest_mismatches = regs->arg[0];
		hv_console_flush(&cpu->console);
		cpu->done = true;
		regs->result = 0;
		return HV_PARK;
	}
	regs->result = dispatch(cpu, regs);
	if (regs->result < 0)
		cpu->errors++;
	return HV_RESUME;
}
