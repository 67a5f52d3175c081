#include "economics/cloud.h"

#include <cmath>

#include "core/error.h"

namespace ecoinfer::economics {

double cloud_cost_per_inference(double seconds_per_inference, double instance_price_per_hour) {
  ECO_CHECK(std::isfinite(seconds_per_inference) && seconds_per_inference >= 0,
            "economics: time per inference {} s must be finite and >= 0", seconds_per_inference);
  ECO_CHECK(std::isfinite(instance_price_per_hour) && instance_price_per_hour >= 0,
            "economics: instance price {} per hour must be finite and >= 0", instance_price_per_hour);
  return seconds_per_inference * instance_price_per_hour / 3600;
}

}  // namespace ecoinfer::economics
