#pragma once
// The cloud view, for users who pay for machine time rather than energy: an inference
// costs its share of the instance's hourly price.
namespace ecoinfer::economics {

// seconds_per_inference × price_per_hour / 3600 (both finite and >= 0).
double cloud_cost_per_inference(double seconds_per_inference, double instance_price_per_hour);

}  // namespace ecoinfer::economics
