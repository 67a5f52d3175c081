/* Fake NVML for the meter tests: the subset of the C API that src/meter calls,
 * backed by state the tests set through the fake_nvml_* functions. */
#include <stdio.h>
#include <string.h>

typedef int nvmlReturn_t;
enum { OK = 0, UNINITIALIZED = 1, INVALID_ARGUMENT = 2, NOT_SUPPORTED = 3, NOT_FOUND = 6 };

#define MAX_GPUS 8
#define MAX_MIG 4
struct nvmlDevice_st {
  int index;  /* the GPU, or the parent GPU of a MIG instance */
  int mig;    /* -1 for a whole GPU, else the MIG instance number */
};
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct {
  unsigned int gpu, memory;
} nvmlUtilization_t;
typedef struct {
  unsigned long long total, free, used;
} nvmlMemory_t;

typedef union {
  double dVal;
  unsigned int uiVal;
  unsigned long ulVal;
  unsigned long long ullVal;
  long long sllVal;
  int siVal;
  unsigned short usVal;
} nvmlValue_t;
typedef struct {
  unsigned int fieldId, scopeId;
  long long timestamp, latencyUsec;
  int valueType;
  nvmlReturn_t nvmlReturn;
  nvmlValue_t value;
} nvmlFieldValue_t;
typedef struct {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;

static struct nvmlDevice_st devices[MAX_GPUS];
static struct nvmlDevice_st mig_devices[MAX_GPUS][MAX_MIG];
static char names[MAX_GPUS][64];
static unsigned pci_bus[MAX_GPUS];
static int mig_enabled[MAX_GPUS], mig_count[MAX_GPUS];
static int has_instant[MAX_GPUS];
static unsigned int instant_mw[MAX_GPUS];
static int arch[MAX_GPUS]; /* < 0: nvmlDeviceGetArchitecture not supported */
/* Energy counter that advances in steps: step_power_mw[i] integrated up to the last
 * multiple of step_ms[i] before the fake time, as the real counter updates only
 * every ~100 ms. */
static unsigned step_ms[MAX_GPUS];
static unsigned step_power_mw[MAX_GPUS];
static unsigned long long now_ms;
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
    int k;
    devices[i].index = i;
    devices[i].mig = -1;
    for (k = 0; k < MAX_MIG; ++k) {
      mig_devices[i][k].index = i;
      mig_devices[i][k].mig = k;
    }
    snprintf(names[i], sizeof names[i], "Fake GPU %d", i);
    pci_bus[i] = (unsigned)i + 1;
    mig_enabled[i] = mig_count[i] = 0;
    has_instant[i] = 0;
    instant_mw[i] = 0;
    arch[i] = -1;
    step_ms[i] = step_power_mw[i] = 0;
    has_counter[i] = counters;
    has_power[i] = power;
    energy_mj[i] = 0;
    power_mw[i] = 0;
  }
  now_ms = 0;
}
void fake_nvml_set_energy_mj(int i, unsigned long long mj) { energy_mj[i] = mj; }
void fake_nvml_set_power_mw(int i, unsigned int mw) { power_mw[i] = mw; }
void fake_nvml_set_name(int i, const char* name) { snprintf(names[i], sizeof names[i], "%s", name); }
void fake_nvml_set_pci_bus(int i, unsigned bus) { pci_bus[i] = bus; }
void fake_nvml_set_mig(int i, int enabled, int instances) {
  mig_enabled[i] = enabled;
  mig_count[i] = instances < MAX_MIG ? instances : MAX_MIG;
}
void fake_nvml_set_instant_power_mw(int i, int supported, unsigned int mw) {
  has_instant[i] = supported;
  instant_mw[i] = mw;
}
void fake_nvml_set_architecture(int i, int a) { arch[i] = a; }
void fake_nvml_set_stepped_counter(int i, unsigned power_mw_, unsigned period_ms) {
  step_power_mw[i] = power_mw_;
  step_ms[i] = period_ms;
}
void fake_nvml_set_time_ms(unsigned long long t) { now_ms = t; }
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
    case NOT_FOUND: return "Not Found";
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
static int valid_any(nvmlDevice_t d) { return initialised && d && d->index >= 0 && d->index < gpu_count; }
/* A whole GPU: MIG instance handles are refused where NVML reports whole-board figures. */
static int valid(nvmlDevice_t d) { return valid_any(d) && d->mig < 0; }
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t* d) {
  if (!initialised) return UNINITIALIZED;
  if (i >= (unsigned)gpu_count) return INVALID_ARGUMENT;
  *d = &devices[i];
  return OK;
}
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char* buf, unsigned int len) {
  if (!valid(d)) return INVALID_ARGUMENT;
  snprintf(buf, len, "%s", names[d->index]);
  return OK;
}
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char* buf, unsigned int len) {
  if (!valid_any(d)) return INVALID_ARGUMENT;
  if (d->mig >= 0)
    snprintf(buf, len, "MIG-%d%d%d%d%d000-aaaa-bbbb-cccc-ddddeeeeffff", d->index, d->index, d->index, d->index, d->mig);
  else
    snprintf(buf, len, "GPU-%d%d%d%d0000-1111-2222-3333-444455556666", d->index, d->index, d->index, d->index);
  return OK;
}
nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t* p) {
  if (!valid(d)) return INVALID_ARGUMENT;
  memset(p, 0, sizeof *p);
  p->domain = 0;
  p->bus = pci_bus[d->index];
  p->device = 0;
  snprintf(p->busId, sizeof p->busId, "00000000:%02X:00.0", pci_bus[d->index]);
  snprintf(p->busIdLegacy, sizeof p->busIdLegacy, "0000:%02X:00.0", pci_bus[d->index]);
  return OK;
}
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int* current, unsigned int* pending) {
  if (!valid(d)) return INVALID_ARGUMENT;
  *current = *pending = (unsigned)mig_enabled[d->index];
  return OK;
}
nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t d, unsigned int* n) {
  if (!valid(d)) return INVALID_ARGUMENT;
  *n = MAX_MIG;
  return OK;
}
nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t d, unsigned int k, nvmlDevice_t* mig) {
  if (!valid(d)) return INVALID_ARGUMENT;
  if (!mig_enabled[d->index] || k >= (unsigned)mig_count[d->index]) return NOT_FOUND;
  *mig = &mig_devices[d->index][k];
  return OK;
}
nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t d, unsigned int* a) {
  if (!valid(d)) return INVALID_ARGUMENT;
  if (arch[d->index] < 0) return NOT_SUPPORTED;
  *a = (unsigned)arch[d->index];
  return OK;
}
nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t d, int count, nvmlFieldValue_t* values) {
  int k;
  if (!valid(d)) return INVALID_ARGUMENT;
  for (k = 0; k < count; ++k) {
    nvmlFieldValue_t* v = &values[k];
    if (v->fieldId == 186 && has_instant[d->index]) { /* NVML_FI_DEV_POWER_INSTANT */
      v->nvmlReturn = OK;
      v->valueType = 1; /* unsigned int, mW */
      v->value.uiVal = instant_mw[d->index];
    } else {
      v->nvmlReturn = NOT_SUPPORTED;
    }
  }
  return OK;
}
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long* mj) {
  if (!valid(d)) return INVALID_ARGUMENT;
  if (!has_counter[d->index]) return NOT_SUPPORTED;
  *mj = energy_mj[d->index];
  if (step_ms[d->index] > 0) {
    unsigned long long t = now_ms / step_ms[d->index] * step_ms[d->index];
    *mj += (unsigned long long)step_power_mw[d->index] * t / 1000; /* mW x ms = uJ */
  }
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
