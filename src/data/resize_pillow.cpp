#include "data/resize_pillow.h"

#include <cmath>
#include <vector>

#include "core/error.h"

namespace ecoinfer {

namespace {

// Filters as functions of the distance in (scaled) source pixels, with their support.
double f_box(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }
double f_bilinear(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}
double f_hamming(double x) {
  x = std::fabs(x);
  if (x == 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  x *= M_PI;
  // Pillow mixes float constants into this double expression; keep the same constants.
  return std::sin(x) / x * (0.54f + 0.46f * std::cos(x));
}
double f_bicubic(double x) {
  constexpr double a = -0.5;  // Keys' cubic convolution, as Pillow
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
  return 0.0;
}
double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= M_PI;
  return std::sin(x) / x;
}
double f_lanczos(double x) { return (x >= -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0; }

struct Filter {
  double (*fn)(double);
  double support;
};

Filter filter_for(Resample r) {
  switch (r) {
    case Resample::box: return {f_box, 0.5};
    case Resample::bilinear: return {f_bilinear, 1.0};
    case Resample::hamming: return {f_hamming, 1.0};
    case Resample::bicubic: return {f_bicubic, 2.0};
    case Resample::lanczos: return {f_lanczos, 3.0};
    default: fail("resample filter {} has no convolution kernel", static_cast<int>(r));
  }
}

// 8 bits of result, 2 bits of headroom for kernels with negative lobes (sums may leave
// [0, 1] on the way), the rest for the fraction.
constexpr int kPrecisionBits = 32 - 8 - 2;

// Per output pixel: the first source index, how many taps, and fixed-point weights.
struct Coeffs {
  int taps = 0;                 // stride of `weights` per output pixel
  std::vector<int> first, count;
  std::vector<int32_t> weights;
};

Coeffs make_coeffs(int in_size, int out_size, Filter filter) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = scale < 1.0 ? 1.0 : scale;  // widen only when shrinking
  const double support = filter.support * filter_scale;
  Coeffs c;
  c.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(out_size);
  c.count.resize(out_size);
  c.weights.assign(static_cast<size_t>(out_size) * c.taps, 0);
  std::vector<double> w(c.taps);
  const double inv = 1.0 / filter_scale;
  for (int o = 0; o < out_size; ++o) {
    const double center = (o + 0.5) * scale;
    // Truncating casts of (value + 0.5), as Pillow rounds the window ends.
    int lo = static_cast<int>(center - support + 0.5);
    if (lo < 0) lo = 0;
    int hi = static_cast<int>(center + support + 0.5);
    if (hi > in_size) hi = in_size;
    const int n = hi - lo;
    double total = 0.0;
    for (int k = 0; k < n; ++k) {
      w[k] = filter.fn((k + lo - center + 0.5) * inv);
      total += w[k];
    }
    int32_t* q = c.weights.data() + static_cast<size_t>(o) * c.taps;
    for (int k = 0; k < n; ++k) {
      const double v = total != 0.0 ? w[k] / total : w[k];
      // Round half away from zero into fixed point.
      q[k] = static_cast<int32_t>(v < 0 ? -0.5 + v * (1 << kPrecisionBits) : 0.5 + v * (1 << kPrecisionBits));
    }
    c.first[o] = lo;
    c.count[o] = n;
  }
  return c;
}

Image blank(int w, int h, int channels) {
  Image im;
  im.width = w;
  im.height = h;
  im.channels = channels;
  im.pixels.resize(static_cast<size_t>(w) * h * channels);
  return im;
}

inline uint8_t clip8(int32_t acc) {
  const int32_t v = acc >> kPrecisionBits;  // arithmetic shift, as Pillow's table lookup
  return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

// Horizontal pass over rows [row0, row0 + rows) of `in`.
Image horizontal(const Image& in, int row0, int rows, int out_w, const Coeffs& c) {
  Image out = blank(out_w, rows, in.channels);
  const int ch = in.channels;
  for (int y = 0; y < rows; ++y) {
    const uint8_t* src = in.pixels.data() + static_cast<size_t>(row0 + y) * in.width * ch;
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * out_w * ch;
    for (int x = 0; x < out_w; ++x) {
      const int32_t* k = c.weights.data() + static_cast<size_t>(x) * c.taps;
      const uint8_t* s = src + static_cast<size_t>(c.first[x]) * ch;
      for (int b = 0; b < ch; ++b) {
        int32_t acc = 1 << (kPrecisionBits - 1);
        for (int t = 0; t < c.count[x]; ++t) acc += s[t * ch + b] * k[t];
        dst[x * ch + b] = clip8(acc);
      }
    }
  }
  return out;
}

// Vertical pass; `c.first` is relative to the first row of `in`.
Image vertical(const Image& in, int out_h, const Coeffs& c, int row_offset) {
  Image out = blank(in.width, out_h, in.channels);
  const size_t row_len = static_cast<size_t>(in.width) * in.channels;
  std::vector<int32_t> acc(row_len);
  for (int y = 0; y < out_h; ++y) {
    const int32_t* k = c.weights.data() + static_cast<size_t>(y) * c.taps;
    std::fill(acc.begin(), acc.end(), 1 << (kPrecisionBits - 1));
    for (int t = 0; t < c.count[y]; ++t) {
      const uint8_t* src = in.pixels.data() + static_cast<size_t>(c.first[y] - row_offset + t) * row_len;
      const int32_t kt = k[t];
      for (size_t i = 0; i < row_len; ++i) acc[i] += src[i] * kt;
    }
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * row_len;
    for (size_t i = 0; i < row_len; ++i) dst[i] = clip8(acc[i]);
  }
  return out;
}

// Pillow's NEAREST resize: an affine scale sampled at pixel centres, source coordinates
// accumulated step by step in double precision and truncated.
Image nearest(const Image& in, int out_w, int out_h) {
  const double sx = static_cast<double>(in.width) / out_w, sy = static_cast<double>(in.height) / out_h;
  std::vector<int> xs(out_w);
  double xo = sx * 0.5;
  for (int x = 0; x < out_w; ++x, xo += sx) xs[x] = std::min(static_cast<int>(xo), in.width - 1);
  Image out = blank(out_w, out_h, in.channels);
  const int ch = in.channels;
  double yo = sy * 0.5;
  for (int y = 0; y < out_h; ++y, yo += sy) {
    const int yi = std::min(static_cast<int>(yo), in.height - 1);
    const uint8_t* src = in.pixels.data() + static_cast<size_t>(yi) * in.width * ch;
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * out_w * ch;
    for (int x = 0; x < out_w; ++x)
      for (int b = 0; b < ch; ++b) dst[x * ch + b] = src[static_cast<size_t>(xs[x]) * ch + b];
  }
  return out;
}

}  // namespace

const char* resample_name(int code) {
  static const char* names[] = {"nearest", "lanczos", "bilinear", "bicubic", "box", "hamming"};
  return code >= 0 && code <= 5 ? names[code] : "unknown";
}

Image resize_pillow(const Image& in, int out_w, int out_h, Resample filter) {
  ECO_CHECK(out_w > 0 && out_h > 0, "cannot resize to {}x{}", out_w, out_h);
  ECO_CHECK(in.width > 0 && in.height > 0, "cannot resize an empty image");
  if (in.width == out_w && in.height == out_h) return in;
  if (filter == Resample::nearest) return nearest(in, out_w, out_h);
  const Filter f = filter_for(filter);
  Coeffs cv = make_coeffs(in.height, out_h, f);
  const bool need_h = out_w != in.width, need_v = out_h != in.height;
  if (!need_h) return vertical(in, out_h, cv, 0);
  // Only the source rows that the vertical pass reads go through the horizontal pass.
  const int row_first = cv.first[0];
  const int row_last = cv.first[out_h - 1] + cv.count[out_h - 1];
  Coeffs ch = make_coeffs(in.width, out_w, f);
  Image tmp = horizontal(in, row_first, row_last - row_first, out_w, ch);
  if (!need_v) return tmp;
  return vertical(tmp, out_h, cv, row_first);
}

}  // namespace ecoinfer
