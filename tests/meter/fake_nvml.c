/* Fake NVML for the meter tests: the subset of the C API that src/meter calls,
 * backed by state the tests set through the fake_nvml_* functions. */
#include <stdio.h>
#include <string.h>

typedef int nvmlReturn_t;
enum { OK = 0, UNINITIALIZED = 1, INVALID_ARGUMENT = 2, NOT_SUPPORTED = 3 };

#define MAX_GPUS 8
struct nvmlDevice_st {
  int index;
};
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct {
  unsigned int gpu, memory;
} nvmlUtilization_t;
typedef struct {
  unsigned long long total, free, used;
} nvmlMemory_t;

static struct nvmlDevice_st devices[MAX_GPUS];
static int gpu_count = 0;
static int initialised = 0;
static int init_calls = 0, shutdown_calls = 0;
static int has_counter[MAX_GPUS], has_power[MAX_GPUS];
static unsigned long long energy_mj[MAX_GPUS];
static unsigned int power_mw[MAX_GPUS];

/* ---- control ---- */
void fake_nvml_reset(int count, int counters, int power) {
  int i;
  gpu_count = count < MAX_GPUS ? count : MAX_GPUS;
  initialised = 0;
  init_calls = shutdown_calls = 0;
  for (i = 0; i < MAX_GPUS; ++i) {
    devices[i].index = i;
    has_counter[i] = counters;
    has_power[i] = power;
    energy_mj[i] = 0;
    power_mw[i] = 0;
  }
}
void fake_nvml_set_energy_mj(int i, unsigned long long mj) { energy_mj[i] = mj; }
void fake_nvml_set_power_mw(int i, unsigned int mw) { power_mw[i] = mw; }
int fake_nvml_init_calls(void) { return init_calls; }
int fake_nvml_shutdown_calls(void) { return shutdown_calls; }

/* ---- NVML ---- */
nvmlReturn_t nvmlInit_v2(void) {
  ++init_calls;
  initialised = 1;
  return OK;
}
nvmlReturn_t nvmlShutdown(void) {
  ++shutdown_calls;
  initialised = 0;
  return OK;
}
const char* nvmlErrorString(nvmlReturn_t r) {
  switch (r) {
    case OK: return "Success";
    case UNINITIALIZED: return "Uninitialized";
    case INVALID_ARGUMENT: return "Invalid Argument";
    case NOT_SUPPORTED: return "Not Supported";
    default: return "Unknown Error";
  }
}
nvmlReturn_t nvmlSystemGetDriverVersion(char* buf, unsigned int len) {
  snprintf(buf, len, "fake-550.00");
  return OK;
}
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* n) {
  if (!initialised) return UNINITIALIZED;
  *n = (unsigned)gpu_count;
  return OK;
}
static int valid(nvmlDevice_t d) { return initialised && d && d->index >= 0 && d->index < gpu_count; }
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t* d) {
  if (!initialised) return UNINITIALIZED;
  if (i >= (unsigned)gpu_count) return INVALID_ARGUMENT;
  *d = &devices[i];
  return OK;
}
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char* buf, unsigned int len) {
  if (!valid(d)) return INVALID_ARGUMENT;
  snprintf(buf, len, "Fake GPU %d", d->index);
  return OK;
}
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char* buf, unsigned int len) {
  if (!valid(d)) return INVALID_ARGUMENT;
  snprintf(buf, len, "GPU-%d%d%d%d0000-1111-2222-3333-444455556666", d->index, d->index, d->index, d->index);
  return OK;
}
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long* mj) {
  if (!valid(d)) return INVALID_ARGUMENT;
  if (!has_counter[d->index]) return NOT_SUPPORTED;
  *mj = energy_mj[d->index];
  return OK;
}
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int* mw) {
  if (!valid(d)) return INVALID_ARGUMENT;
  if (!has_power[d->index]) return NOT_SUPPORTED;
  *mw = power_mw[d->index];
  return OK;
}
nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int* mw) {
  if (!valid(d)) return INVALID_ARGUMENT;
  *mw = 300000;
  return OK;
}
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t* u) {
  if (!valid(d)) return INVALID_ARGUMENT;
  u->gpu = 50 + (unsigned)d->index;
  u->memory = 20;
  return OK;
}
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t* m) {
  if (!valid(d)) return INVALID_ARGUMENT;
  m->total = 80ull << 30;
  m->used = 1ull << 30;
  m->free = m->total - m->used;
  return OK;
}
nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int* mhz) {
  if (!valid(d)) return INVALID_ARGUMENT;
  *mhz = type == 1 ? 1410 : 1593;
  return OK;
}
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int* c) {
  if (!valid(d) || sensor != 0) return INVALID_ARGUMENT;
  *c = 45;
  return OK;
}
