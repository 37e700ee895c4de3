//===- Interpreter.cpp - Float64 interpreter of attn functions ------------===//
//
// Implements evaluateFunction: a walk over the entry block of a `func.func`
// that keeps one RefTensor per SSA value and evaluates each attn op with the
// float64 kernels of Reference.h. Before anything runs, every op is checked
// for support and each `score_mod` region of attn.sdpa is compiled into a
// flat list of scalar instructions over numbered slots, so evaluating a score
// neither looks up values by name nor dispatches on op names. Each op checks
// its actual operand shapes against their types and against each other (the
// verifier's constraints, now on the runtime sizes) and its computed result
// shapes against the result types, which makes the shape-only mode a cheap
// validation of runtime inputs.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Interpreter.h"

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <memory>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::runtime;

//===----------------------------------------------------------------------===//
// Messages
//===----------------------------------------------------------------------===//

/// Formats `loc` as "file:line:col" when it holds a file location, else as
/// MLIR prints it.
static std::string formatLocation(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fileLoc = loc->findInstanceOf<FileLineColLoc>())
    os << fileLoc.getFilename().getValue() << ':' << fileLoc.getLine() << ':'
       << fileLoc.getColumn();
  else
    os << loc;
  return text;
}

/// Returns "LOC: 'op.name' MESSAGE".
static std::string formatOpMessage(Operation *op, const Twine &message) {
  return (formatLocation(op->getLoc()) + ": '" + op->getName().getStringRef() +
          "' " + message)
      .str();
}

/// Formats a runtime shape as "[2, 4, 5, 8]".
static std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

/// Prints `type` as MLIR does.
static std::string formatType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// Whether the runtime `shape` has the rank of `type` and agrees with its
/// static dimensions.
static bool matchesType(llvm::ArrayRef<int64_t> shape, RankedTensorType type) {
  if (static_cast<int64_t>(shape.size()) != type.getRank())
    return false;
  for (auto [dim, typeDim] : llvm::zip_equal(shape, type.getShape()))
    if (dim < 0 || (!ShapedType::isDynamic(typeDim) && dim != typeDim))
      return false;
  return true;
}

/// Converts `value` to double, exactly for every format narrower than f64.
static double toDouble(llvm::APFloat value) {
  bool losesInfo = false;
  value.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

//===----------------------------------------------------------------------===//
// score_mod: scalar programs
//===----------------------------------------------------------------------===//

namespace {

/// A value of the score_mod interpreter. Integers, index and i1 are kept in
/// `i`, sign-extended from their bit width (so i1 true is -1, as in arith);
/// floats are kept in `f` as double.
struct Scalar {
  double f = 0.0;
  int64_t i = 0;
};

/// The operations a compiled score_mod program executes.
enum class ScalarOpcode : uint8_t {
  // Float arithmetic.
  AddF,
  SubF,
  MulF,
  DivF,
  RemF,
  NegF,
  MaximumF,
  MinimumF,
  MaxNumF,
  MinNumF,
  // Integer arithmetic.
  AddI,
  SubI,
  MulI,
  DivSI,
  DivUI,
  RemSI,
  RemUI,
  FloorDivSI,
  CeilDivSI,
  MaxSI,
  MinSI,
  MaxUI,
  MinUI,
  AndI,
  OrI,
  XOrI,
  ShLI,
  ShRSI,
  ShRUI,
  AbsI,
  // Conversions.
  IndexCast,
  IndexCastUI,
  SIToFP,
  UIToFP,
  FPToSI,
  FPToUI,
  ExtF,
  TruncF,
  ExtSI,
  ExtUI,
  TruncI,
  // Comparisons and selection.
  CmpF,
  CmpI,
  Select,
  // Math.
  Exp,
  Exp2,
  Log,
  Log2,
  Log1p,
  ExpM1,
  Tanh,
  AbsF,
  Sqrt,
  Rsqrt,
  Erf,
  Sin,
  Cos,
  Floor,
  Ceil,
  Trunc,
  Round,
  PowF,
  CopySign,
  Fma,
};

/// One instruction of a compiled score_mod program: reads the slots in
/// `operands` and writes the slot `result`.
struct ScalarInst {
  ScalarOpcode opcode;
  unsigned result = 0;
  std::array<unsigned, 3> operands = {0, 0, 0};
  /// Bit width of the integer result (64 for index and floats).
  unsigned width = 64;
  /// Bit width of the first integer operand (64 for index and floats).
  unsigned srcWidth = 64;
  /// The comparison predicate of CmpF/CmpI.
  uint64_t predicate = 0;
  /// For conversions to floats: the result format, to round to.
  const llvm::fltSemantics *semantics = nullptr;
  llvm::RoundingMode roundingMode = llvm::RoundingMode::NearestTiesToEven;
  /// Whether the float result is narrower than f32 (f16, bf16): compiled
  /// code rounds every such result, so the reference rounds it too.
  bool roundsBelowF32 = false;
  /// The op this instruction comes from, for messages.
  Operation *op = nullptr;
};

/// A score_mod block compiled to straight-line code over numbered slots:
/// slots 0-4 hold the block arguments (score, b, h, q_idx, kv_idx), each op
/// result gets the next slot, constants are written once at compile time.
class ScoreModProgram {
public:
  /// Compiles `body`, the score_mod block of `sdpa`. Returns null and sets
  /// `message` when an op of the block has no float64 reference.
  static std::unique_ptr<ScoreModProgram> compile(SdpaOp sdpa, Block &body,
                                                  std::string &message);

  /// Runs the program on one score; records the first undefined operation
  /// (see getError) and goes on with an arbitrary value.
  double run(double score, int64_t b, int64_t h, int64_t qIdx, int64_t kvIdx);

  /// The message of the first undefined operation met by run (division by
  /// zero, out-of-range shift or float-to-integer conversion), or empty.
  const std::string &getError() const { return error; }

private:
  explicit ScoreModProgram(SdpaOp sdpa) : sdpa(sdpa) {}

  /// Records that `inst` is undefined for the current indices.
  void setUndefined(const ScalarInst &inst, const Twine &why);

  /// Executes one instruction.
  void execute(const ScalarInst &inst);

  SdpaOp sdpa;
  std::vector<ScalarInst> insts;
  /// The slot values; constants are stored at compile time.
  std::vector<Scalar> slots;
  unsigned yieldSlot = 0;
  std::array<int64_t, 4> indices = {0, 0, 0, 0};
  std::string error;
};

} // namespace

/// Returns the bit width of an integer or index type, 64 for anything else.
static unsigned getIntWidth(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth();
  return 64;
}

/// Whether the score_mod interpreter can hold a value of `type`: integers of
/// at most 64 bits, index, and floats of at most 64 bits.
static bool isSupportedScalarType(Type type) {
  if (isa<IndexType>(type))
    return true;
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() >= 1 && intType.getWidth() <= 64;
  if (auto floatType = dyn_cast<FloatType>(type))
    return floatType.getWidth() <= 64;
  return false;
}

/// Maps an arith rounding mode to the APFloat one.
static llvm::RoundingMode convertRoundingMode(arith::RoundingMode mode) {
  switch (mode) {
  case arith::RoundingMode::to_nearest_even:
    return llvm::RoundingMode::NearestTiesToEven;
  case arith::RoundingMode::downward:
    return llvm::RoundingMode::TowardNegative;
  case arith::RoundingMode::upward:
    return llvm::RoundingMode::TowardPositive;
  case arith::RoundingMode::toward_zero:
    return llvm::RoundingMode::TowardZero;
  case arith::RoundingMode::to_nearest_away:
    return llvm::RoundingMode::NearestTiesToAway;
  }
  llvm_unreachable("unknown rounding mode");
}

std::unique_ptr<ScoreModProgram>
ScoreModProgram::compile(SdpaOp sdpa, Block &body, std::string &message) {
  std::unique_ptr<ScoreModProgram> program(new ScoreModProgram(sdpa));
  DenseMap<Value, unsigned> slotOf;
  for (BlockArgument arg : body.getArguments())
    slotOf[arg] = arg.getArgNumber();
  program->slots.resize(body.getNumArguments());

  // "LOC: 'op' [DETAIL ]in the score_mod of 'attn.sdpa' at LOC has no ...".
  auto unsupported = [&](Operation *op, const Twine &detail) {
    std::string prefix = detail.str();
    if (!prefix.empty())
      prefix += ' ';
    message = formatOpMessage(
        op, prefix + "in the score_mod of 'attn.sdpa' at " +
                formatLocation(sdpa.getLoc()) + " has no float64 reference");
    return nullptr;
  };

  for (Operation &op : body) {
    if (auto yield = dyn_cast<YieldOp>(op)) {
      // The region verifier guarantees a single f32 value.
      program->yieldSlot = slotOf.lookup(yield.getValues().front());
      return program;
    }
    if (op.getNumRegions() != 0 || op.getNumResults() != 1)
      return unsupported(&op, "");
    for (TypeRange types :
         {TypeRange(op.getOperandTypes()), TypeRange(op.getResultTypes())})
      for (Type type : types)
        if (!isSupportedScalarType(type))
          return unsupported(&op, "on " + formatType(type));

    ScalarInst inst;
    inst.op = &op;
    Type resultType = op.getResult(0).getType();
    inst.width = getIntWidth(resultType);
    if (op.getNumOperands() != 0)
      inst.srcWidth = getIntWidth(op.getOperand(0).getType());
    if (auto floatType = dyn_cast<FloatType>(resultType)) {
      inst.semantics = &floatType.getFloatSemantics();
      inst.roundsBelowF32 = floatType.getWidth() < 32;
    }

    // Constants are stored straight into their slot.
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      Scalar value;
      if (auto floatAttr = dyn_cast<FloatAttr>(constant.getValue()))
        value.f = toDouble(floatAttr.getValue());
      else if (auto intAttr = dyn_cast<IntegerAttr>(constant.getValue()))
        value.i = intAttr.getValue().getSExtValue();
      else
        return unsupported(&op, "with a non-scalar value");
      slotOf[op.getResult(0)] = program->slots.size();
      program->slots.push_back(value);
      continue;
    }

    auto set = [&inst](ScalarOpcode opcode) {
      return [&inst, opcode](auto) {
        inst.opcode = opcode;
        return true;
      };
    };
    using Opc = ScalarOpcode;
    bool known =
        llvm::TypeSwitch<Operation *, bool>(&op)
            .Case<arith::AddFOp>(set(Opc::AddF))
            .Case<arith::SubFOp>(set(Opc::SubF))
            .Case<arith::MulFOp>(set(Opc::MulF))
            .Case<arith::DivFOp>(set(Opc::DivF))
            .Case<arith::RemFOp>(set(Opc::RemF))
            .Case<arith::NegFOp>(set(Opc::NegF))
            .Case<arith::MaximumFOp>(set(Opc::MaximumF))
            .Case<arith::MinimumFOp>(set(Opc::MinimumF))
            .Case<arith::MaxNumFOp>(set(Opc::MaxNumF))
            .Case<arith::MinNumFOp>(set(Opc::MinNumF))
            .Case<arith::AddIOp>(set(Opc::AddI))
            .Case<arith::SubIOp>(set(Opc::SubI))
            .Case<arith::MulIOp>(set(Opc::MulI))
            .Case<arith::DivSIOp>(set(Opc::DivSI))
            .Case<arith::DivUIOp>(set(Opc::DivUI))
            .Case<arith::RemSIOp>(set(Opc::RemSI))
            .Case<arith::RemUIOp>(set(Opc::RemUI))
            .Case<arith::FloorDivSIOp>(set(Opc::FloorDivSI))
            .Case<arith::CeilDivSIOp>(set(Opc::CeilDivSI))
            .Case<arith::MaxSIOp>(set(Opc::MaxSI))
            .Case<arith::MinSIOp>(set(Opc::MinSI))
            .Case<arith::MaxUIOp>(set(Opc::MaxUI))
            .Case<arith::MinUIOp>(set(Opc::MinUI))
            .Case<arith::AndIOp>(set(Opc::AndI))
            .Case<arith::OrIOp>(set(Opc::OrI))
            .Case<arith::XOrIOp>(set(Opc::XOrI))
            .Case<arith::ShLIOp>(set(Opc::ShLI))
            .Case<arith::ShRSIOp>(set(Opc::ShRSI))
            .Case<arith::ShRUIOp>(set(Opc::ShRUI))
            .Case<math::AbsIOp>(set(Opc::AbsI))
            .Case<arith::IndexCastOp>(set(Opc::IndexCast))
            .Case<arith::IndexCastUIOp>(set(Opc::IndexCastUI))
            .Case<arith::SIToFPOp>(set(Opc::SIToFP))
            .Case<arith::UIToFPOp>(set(Opc::UIToFP))
            .Case<arith::FPToSIOp>(set(Opc::FPToSI))
            .Case<arith::FPToUIOp>(set(Opc::FPToUI))
            .Case<arith::ExtFOp>(set(Opc::ExtF))
            .Case([&](arith::TruncFOp truncOp) {
              inst.opcode = Opc::TruncF;
              if (std::optional<arith::RoundingMode> mode =
                      truncOp.getRoundingmode())
                inst.roundingMode = convertRoundingMode(*mode);
              return true;
            })
            .Case<arith::ExtSIOp>(set(Opc::ExtSI))
            .Case<arith::ExtUIOp>(set(Opc::ExtUI))
            .Case<arith::TruncIOp>(set(Opc::TruncI))
            .Case([&](arith::CmpFOp cmpOp) {
              inst.opcode = Opc::CmpF;
              inst.predicate = static_cast<uint64_t>(cmpOp.getPredicate());
              return true;
            })
            .Case([&](arith::CmpIOp cmpOp) {
              inst.opcode = Opc::CmpI;
              inst.predicate = static_cast<uint64_t>(cmpOp.getPredicate());
              return true;
            })
            .Case<arith::SelectOp>(set(Opc::Select))
            .Case<math::ExpOp>(set(Opc::Exp))
            .Case<math::Exp2Op>(set(Opc::Exp2))
            .Case<math::LogOp>(set(Opc::Log))
            .Case<math::Log2Op>(set(Opc::Log2))
            .Case<math::Log1pOp>(set(Opc::Log1p))
            .Case<math::ExpM1Op>(set(Opc::ExpM1))
            .Case<math::TanhOp>(set(Opc::Tanh))
            .Case<math::AbsFOp>(set(Opc::AbsF))
            .Case<math::SqrtOp>(set(Opc::Sqrt))
            .Case<math::RsqrtOp>(set(Opc::Rsqrt))
            .Case<math::ErfOp>(set(Opc::Erf))
            .Case<math::SinOp>(set(Opc::Sin))
            .Case<math::CosOp>(set(Opc::Cos))
            .Case<math::FloorOp>(set(Opc::Floor))
            .Case<math::CeilOp>(set(Opc::Ceil))
            .Case<math::TruncOp>(set(Opc::Trunc))
            .Case<math::RoundOp>(set(Opc::Round))
            .Case<math::PowFOp>(set(Opc::PowF))
            .Case<math::CopySignOp>(set(Opc::CopySign))
            .Case<math::FmaOp>(set(Opc::Fma))
            .Default([](Operation *) { return false; });
    if (!known)
      return unsupported(&op, "");
    if (op.getNumOperands() > inst.operands.size())
      return unsupported(&op, "");
    for (auto [index, operand] : llvm::enumerate(op.getOperands())) {
      auto it = slotOf.find(operand);
      if (it == slotOf.end())
        return unsupported(&op, "using a value from outside the block");
      inst.operands[index] = it->second;
    }
    inst.result = program->slots.size();
    slotOf[op.getResult(0)] = inst.result;
    program->slots.emplace_back();
    program->insts.push_back(inst);
  }
  // The region verifier guarantees an attn.yield terminator.
  message = formatOpMessage(sdpa, "has a score_mod without attn.yield");
  return nullptr;
}

void ScoreModProgram::setUndefined(const ScalarInst &inst, const Twine &why) {
  if (!error.empty())
    return;
  error = formatOpMessage(inst.op, "in the score_mod of 'attn.sdpa' at " +
                                       formatLocation(sdpa.getLoc()) + " " +
                                       why + " (b = " + Twine(indices[0]) +
                                       ", h = " + Twine(indices[1]) +
                                       ", q_idx = " + Twine(indices[2]) +
                                       ", kv_idx = " + Twine(indices[3]) + ")");
}

/// Wraps `value` to a `width`-bit integer, sign-extended to 64 bits.
static int64_t wrapToWidth(uint64_t value, unsigned width) {
  if (width >= 64)
    return static_cast<int64_t>(value);
  return llvm::SignExtend64(value, width);
}

/// Returns the `width`-bit integer `value` read as unsigned.
static uint64_t toUnsigned(int64_t value, unsigned width) {
  if (width >= 64)
    return static_cast<uint64_t>(value);
  return static_cast<uint64_t>(value) & llvm::maskTrailingOnes<uint64_t>(width);
}

/// Evaluates an arith.cmpf predicate.
static bool compareFloats(arith::CmpFPredicate predicate, double lhs,
                          double rhs) {
  bool unordered = std::isnan(lhs) || std::isnan(rhs);
  using P = arith::CmpFPredicate;
  switch (predicate) {
  case P::AlwaysFalse:
    return false;
  case P::OEQ:
    return !unordered && lhs == rhs;
  case P::OGT:
    return !unordered && lhs > rhs;
  case P::OGE:
    return !unordered && lhs >= rhs;
  case P::OLT:
    return !unordered && lhs < rhs;
  case P::OLE:
    return !unordered && lhs <= rhs;
  case P::ONE:
    return !unordered && lhs != rhs;
  case P::ORD:
    return !unordered;
  case P::UEQ:
    return unordered || lhs == rhs;
  case P::UGT:
    return unordered || lhs > rhs;
  case P::UGE:
    return unordered || lhs >= rhs;
  case P::ULT:
    return unordered || lhs < rhs;
  case P::ULE:
    return unordered || lhs <= rhs;
  case P::UNE:
    return unordered || lhs != rhs;
  case P::UNO:
    return unordered;
  case P::AlwaysTrue:
    return true;
  }
  llvm_unreachable("unknown cmpf predicate");
}

/// Evaluates an arith.cmpi predicate on `width`-bit integers.
static bool compareInts(arith::CmpIPredicate predicate, int64_t lhs,
                        int64_t rhs, unsigned width) {
  uint64_t ulhs = toUnsigned(lhs, width), urhs = toUnsigned(rhs, width);
  using P = arith::CmpIPredicate;
  switch (predicate) {
  case P::eq:
    return lhs == rhs;
  case P::ne:
    return lhs != rhs;
  case P::slt:
    return lhs < rhs;
  case P::sle:
    return lhs <= rhs;
  case P::sgt:
    return lhs > rhs;
  case P::sge:
    return lhs >= rhs;
  case P::ult:
    return ulhs < urhs;
  case P::ule:
    return ulhs <= urhs;
  case P::ugt:
    return ulhs > urhs;
  case P::uge:
    return ulhs >= urhs;
  }
  llvm_unreachable("unknown cmpi predicate");
}

/// Rounds `value` to the float format `semantics` with `mode`.
static double roundTo(double value, const llvm::fltSemantics &semantics,
                      llvm::RoundingMode mode) {
  llvm::APFloat rounded(value);
  bool losesInfo = false;
  rounded.convert(semantics, mode, &losesInfo);
  return toDouble(rounded);
}

void ScoreModProgram::execute(const ScalarInst &inst) {
  Scalar &r = slots[inst.result];
  const Scalar &x = slots[inst.operands[0]];
  const Scalar &y = slots[inst.operands[1]];
  const Scalar &z = slots[inst.operands[2]];
  unsigned w = inst.width;
  auto ux = static_cast<uint64_t>(x.i), uy = static_cast<uint64_t>(y.i);
  using Opc = ScalarOpcode;
  switch (inst.opcode) {
  case Opc::AddF:
    r.f = x.f + y.f;
    return;
  case Opc::SubF:
    r.f = x.f - y.f;
    return;
  case Opc::MulF:
    r.f = x.f * y.f;
    return;
  case Opc::DivF:
    r.f = x.f / y.f;
    return;
  case Opc::RemF:
    r.f = std::fmod(x.f, y.f);
    return;
  case Opc::NegF:
    r.f = -x.f;
    return;
  case Opc::MaximumF:
    if (std::isnan(x.f) || std::isnan(y.f))
      r.f = std::numeric_limits<double>::quiet_NaN();
    else if (x.f == y.f) // +0 is larger than -0.
      r.f = std::signbit(x.f) ? y.f : x.f;
    else
      r.f = std::max(x.f, y.f);
    return;
  case Opc::MinimumF:
    if (std::isnan(x.f) || std::isnan(y.f))
      r.f = std::numeric_limits<double>::quiet_NaN();
    else if (x.f == y.f)
      r.f = std::signbit(x.f) ? x.f : y.f;
    else
      r.f = std::min(x.f, y.f);
    return;
  case Opc::MaxNumF:
    r.f = std::fmax(x.f, y.f);
    return;
  case Opc::MinNumF:
    r.f = std::fmin(x.f, y.f);
    return;
  case Opc::AddI:
    r.i = wrapToWidth(ux + uy, w);
    return;
  case Opc::SubI:
    r.i = wrapToWidth(ux - uy, w);
    return;
  case Opc::MulI:
    r.i = wrapToWidth(ux * uy, w);
    return;
  case Opc::DivSI:
  case Opc::RemSI:
  case Opc::FloorDivSI:
  case Opc::CeilDivSI: {
    if (y.i == 0) {
      setUndefined(inst, "divides by zero");
      r.i = 0;
      return;
    }
    // x / -1 is -x (wrapping); the remainder is 0. This also avoids the
    // overflow of INT64_MIN / -1.
    if (y.i == -1) {
      r.i = inst.opcode == Opc::RemSI ? 0 : wrapToWidth(0 - ux, w);
      return;
    }
    int64_t quotient = x.i / y.i, remainder = x.i % y.i;
    bool sameSign = (x.i < 0) == (y.i < 0);
    if (inst.opcode == Opc::RemSI)
      r.i = remainder;
    else if (inst.opcode == Opc::FloorDivSI)
      r.i = quotient - (remainder != 0 && !sameSign ? 1 : 0);
    else if (inst.opcode == Opc::CeilDivSI)
      r.i = quotient + (remainder != 0 && sameSign ? 1 : 0);
    else
      r.i = quotient;
    return;
  }
  case Opc::DivUI:
  case Opc::RemUI: {
    uint64_t divisor = toUnsigned(y.i, w);
    if (divisor == 0) {
      setUndefined(inst, "divides by zero");
      r.i = 0;
      return;
    }
    uint64_t dividend = toUnsigned(x.i, w);
    r.i = wrapToWidth(
        inst.opcode == Opc::DivUI ? dividend / divisor : dividend % divisor, w);
    return;
  }
  case Opc::MaxSI:
    r.i = std::max(x.i, y.i);
    return;
  case Opc::MinSI:
    r.i = std::min(x.i, y.i);
    return;
  case Opc::MaxUI:
    r.i = toUnsigned(x.i, w) >= toUnsigned(y.i, w) ? x.i : y.i;
    return;
  case Opc::MinUI:
    r.i = toUnsigned(x.i, w) <= toUnsigned(y.i, w) ? x.i : y.i;
    return;
  case Opc::AndI:
    r.i = x.i & y.i;
    return;
  case Opc::OrI:
    r.i = x.i | y.i;
    return;
  case Opc::XOrI:
    r.i = x.i ^ y.i;
    return;
  case Opc::ShLI:
  case Opc::ShRSI:
  case Opc::ShRUI: {
    uint64_t shift = toUnsigned(y.i, w);
    if (shift >= w) {
      setUndefined(inst, "shifts by " + Twine(shift) + ", not less than the " +
                             Twine(w) + "-bit width");
      r.i = 0;
      return;
    }
    if (inst.opcode == Opc::ShLI)
      r.i = wrapToWidth(toUnsigned(x.i, w) << shift, w);
    else if (inst.opcode == Opc::ShRUI)
      r.i = wrapToWidth(toUnsigned(x.i, w) >> shift, w);
    else // Sign-extended, so an arithmetic shift of the 64-bit value.
      r.i = x.i < 0 ? ~(~x.i >> shift) : x.i >> shift;
    return;
  }
  case Opc::AbsI:
    r.i = wrapToWidth(x.i < 0 ? 0 - ux : ux, w);
    return;
  case Opc::IndexCast:
  case Opc::ExtSI:
  case Opc::TruncI:
    // Sign-extending keeps the value; truncating wraps it.
    r.i = wrapToWidth(ux, w);
    return;
  case Opc::IndexCastUI:
  case Opc::ExtUI:
    r.i =
        wrapToWidth(inst.srcWidth < w ? toUnsigned(x.i, inst.srcWidth) : ux, w);
    return;
  case Opc::SIToFP:
    r.f = roundTo(static_cast<double>(x.i), *inst.semantics, inst.roundingMode);
    return;
  case Opc::UIToFP:
    r.f = roundTo(static_cast<double>(toUnsigned(x.i, inst.srcWidth)),
                  *inst.semantics, inst.roundingMode);
    return;
  case Opc::FPToSI:
  case Opc::FPToUI: {
    bool isSigned = inst.opcode == Opc::FPToSI;
    double truncated = std::trunc(x.f);
    double limit = std::ldexp(1.0, isSigned ? w - 1 : w);
    double lowest = isSigned ? -limit : 0.0;
    // Written so that NaN fails too.
    if (!(truncated >= lowest && truncated < limit)) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "converts " << x.f << ", out of the range of i" << w;
      setUndefined(inst, text);
      r.i = 0;
      return;
    }
    r.i = isSigned ? static_cast<int64_t>(truncated)
                   : wrapToWidth(static_cast<uint64_t>(truncated), w);
    return;
  }
  case Opc::ExtF:
    r.f = x.f;
    return;
  case Opc::TruncF:
    r.f = roundTo(x.f, *inst.semantics, inst.roundingMode);
    return;
  case Opc::CmpF:
    r.i = compareFloats(static_cast<arith::CmpFPredicate>(inst.predicate), x.f,
                        y.f)
              ? -1
              : 0;
    return;
  case Opc::CmpI:
    r.i = compareInts(static_cast<arith::CmpIPredicate>(inst.predicate), x.i,
                      y.i, inst.srcWidth)
              ? -1
              : 0;
    return;
  case Opc::Select:
    r = x.i != 0 ? y : z;
    return;
  case Opc::Exp:
    r.f = std::exp(x.f);
    return;
  case Opc::Exp2:
    r.f = std::exp2(x.f);
    return;
  case Opc::Log:
    r.f = std::log(x.f);
    return;
  case Opc::Log2:
    r.f = std::log2(x.f);
    return;
  case Opc::Log1p:
    r.f = std::log1p(x.f);
    return;
  case Opc::ExpM1:
    r.f = std::expm1(x.f);
    return;
  case Opc::Tanh:
    r.f = std::tanh(x.f);
    return;
  case Opc::AbsF:
    r.f = std::fabs(x.f);
    return;
  case Opc::Sqrt:
    r.f = std::sqrt(x.f);
    return;
  case Opc::Rsqrt:
    r.f = 1.0 / std::sqrt(x.f);
    return;
  case Opc::Erf:
    r.f = std::erf(x.f);
    return;
  case Opc::Sin:
    r.f = std::sin(x.f);
    return;
  case Opc::Cos:
    r.f = std::cos(x.f);
    return;
  case Opc::Floor:
    r.f = std::floor(x.f);
    return;
  case Opc::Ceil:
    r.f = std::ceil(x.f);
    return;
  case Opc::Trunc:
    r.f = std::trunc(x.f);
    return;
  case Opc::Round:
    r.f = std::round(x.f);
    return;
  case Opc::PowF:
    r.f = std::pow(x.f, y.f);
    return;
  case Opc::CopySign:
    r.f = std::copysign(x.f, y.f);
    return;
  case Opc::Fma:
    r.f = std::fma(x.f, y.f, z.f);
    return;
  }
  llvm_unreachable("unknown scalar opcode");
}

double ScoreModProgram::run(double score, int64_t b, int64_t h, int64_t qIdx,
                            int64_t kvIdx) {
  indices = {b, h, qIdx, kvIdx};
  slots[0].f = score;
  slots[1].i = b;
  slots[2].i = h;
  slots[3].i = qIdx;
  slots[4].i = kvIdx;
  for (const ScalarInst &inst : insts) {
    execute(inst);
    if (inst.roundsBelowF32)
      slots[inst.result].f = roundTo(slots[inst.result].f, *inst.semantics,
                                     inst.roundingMode);
  }
  return slots[yieldSlot].f;
}

//===----------------------------------------------------------------------===//
// Function evaluation
//===----------------------------------------------------------------------===//

namespace {

/// Names of the four dimensions of a [B, H, Lq, Lk] scores-shaped tensor,
/// used in mask messages.
struct ScoresDimNames {
  StringRef batch, heads, queries, keys;
};

/// Evaluates one function; see evaluateFunction.
class FunctionEvaluator {
public:
  FunctionEvaluator(func::FuncOp func, bool computeValues)
      : func(func), computeValues(computeValues) {}

  EvalResult run(ArrayRef<RefTensor> args);

private:
  /// Checks that every op is supported and compiles the score_mod regions.
  LogicalResult prepare();
  /// Checks `args` against the function arguments and binds them.
  LogicalResult bindArguments(ArrayRef<RefTensor> args);

  LogicalResult evaluate(Operation *op);
  LogicalResult evaluate(MhaOp op);
  LogicalResult evaluate(LinearOp op);
  LogicalResult evaluate(SplitHeadsOp op);
  LogicalResult evaluate(MergeHeadsOp op);
  LogicalResult evaluate(ScoresOp op);
  LogicalResult evaluate(MaskOp op);
  LogicalResult evaluate(SoftmaxOp op);
  LogicalResult evaluate(ContextOp op);
  LogicalResult evaluate(SdpaOp op);
  LogicalResult evaluate(arith::ConstantOp op);
  LogicalResult evaluate(tensor::CastOp op);
  LogicalResult evaluate(func::ReturnOp op);

  /// Records a failure with `status` and `message` (already located).
  LogicalResult fail(EvalStatus status, std::string message);
  /// Records an Invalid failure of `op`.
  LogicalResult invalid(Operation *op, const Twine &message) {
    return fail(EvalStatus::Invalid, formatOpMessage(op, message));
  }

  /// Returns the tensor of `value`, operand `name` of `op`, after checking
  /// its shape against the type of `value`; null (and a recorded failure)
  /// otherwise. The pointer is valid until the next call to setResult.
  const RefTensor *lookup(Operation *op, Value value, StringRef name);
  /// Checks that `actual` (described by `actualName`) equals `expected`.
  LogicalResult checkEqual(Operation *op, StringRef actualName, int64_t actual,
                           StringRef expectedName, int64_t expected);
  /// Checks Hq % Hkv == 0 with both positive.
  LogicalResult checkHeadRatio(Operation *op, StringRef queryName,
                               int64_t numQueryHeads, StringRef kvName,
                               int64_t numKvHeads);
  /// Checks an optional mask [B|1, H|1, Lq, Lk] and kv_lens [B] against the
  /// scores shape `scores`. Only a mask dimension that is statically 1 in
  /// `maskValue`'s type broadcasts; a dynamic one must match at run time.
  LogicalResult checkMaskShapes(Operation *op, Value maskValue,
                                const RefTensor *mask, const RefTensor *kvLens,
                                ArrayRef<int64_t> scores,
                                const ScoresDimNames &names);
  /// Checks the shape of `tensor` against the type of result `value` (named
  /// `name`) and binds it.
  LogicalResult setResult(Operation *op, Value value, StringRef name,
                          RefTensor tensor);
  /// Returns `compute()` when values are computed, else an empty tensor of
  /// `shape`; the shape of a computed tensor is `shape` too.
  template <typename ComputeFn>
  RefTensor produce(std::vector<int64_t> shape, ComputeFn compute);

  func::FuncOp func;
  bool computeValues;
  DenseMap<Value, RefTensor> values;
  DenseMap<Operation *, std::unique_ptr<ScoreModProgram>> scoreMods;
  EvalResult result;
};

} // namespace

LogicalResult FunctionEvaluator::fail(EvalStatus status, std::string message) {
  result.status = status;
  result.message = std::move(message);
  return failure();
}

const RefTensor *FunctionEvaluator::lookup(Operation *op, Value value,
                                           StringRef name) {
  auto it = values.find(value);
  if (it == values.end()) {
    (void)invalid(op, Twine("uses ") + name + ", which has no value");
    return nullptr;
  }
  auto type = cast<RankedTensorType>(value.getType());
  if (!matchesType(it->second.shape, type)) {
    (void)invalid(op,
                  Twine(name) + " has shape " + formatShape(it->second.shape) +
                      ", which does not match its type " + formatType(type));
    return nullptr;
  }
  return &it->second;
}

LogicalResult FunctionEvaluator::checkEqual(Operation *op, StringRef actualName,
                                            int64_t actual,
                                            StringRef expectedName,
                                            int64_t expected) {
  if (actual == expected)
    return success();
  return invalid(op, actualName + " " + Twine(actual) + " does not match " +
                         expectedName + " " + Twine(expected));
}

LogicalResult FunctionEvaluator::checkHeadRatio(Operation *op,
                                                StringRef queryName,
                                                int64_t numQueryHeads,
                                                StringRef kvName,
                                                int64_t numKvHeads) {
  if (numQueryHeads > 0 && numKvHeads > 0 && numQueryHeads % numKvHeads == 0)
    return success();
  return invalid(op, queryName + " " + Twine(numQueryHeads) +
                         " is not a positive multiple of " + kvName + " " +
                         Twine(numKvHeads));
}

LogicalResult FunctionEvaluator::checkMaskShapes(
    Operation *op, Value maskValue, const RefTensor *mask,
    const RefTensor *kvLens, ArrayRef<int64_t> scores,
    const ScoresDimNames &names) {
  if (mask) {
    ArrayRef<int64_t> m = mask->shape;
    auto maskType = cast<RankedTensorType>(maskValue.getType());
    if (maskType.getDimSize(0) != 1 &&
        failed(checkEqual(op, "mask batch size", m[0], names.batch,
                          scores[0])))
      return failure();
    if (maskType.getDimSize(1) != 1 &&
        failed(checkEqual(op, "mask head count", m[1], names.heads,
                          scores[1])))
      return failure();
    if (failed(checkEqual(op, "mask query length", m[2], names.queries,
                          scores[2])) ||
        failed(checkEqual(op, "mask key length", m[3], names.keys, scores[3])))
      return failure();
  }
  if (kvLens)
    return checkEqual(op, "kv_lens size", kvLens->shape[0], names.batch,
                      scores[0]);
  return success();
}

LogicalResult FunctionEvaluator::setResult(Operation *op, Value value,
                                           StringRef name, RefTensor tensor) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!matchesType(tensor.shape, type))
    return invalid(op, Twine(name) + " has shape " + formatShape(tensor.shape) +
                           ", which does not match its type " +
                           formatType(type));
  values[value] = std::move(tensor);
  return success();
}

template <typename ComputeFn>
RefTensor FunctionEvaluator::produce(std::vector<int64_t> shape,
                                     ComputeFn compute) {
  if (!computeValues) {
    RefTensor tensor;
    tensor.shape = std::move(shape);
    return tensor;
  }
  RefTensor tensor = compute();
  assert(tensor.shape == shape && "reference kernel disagrees on the shape");
  return tensor;
}

/// FLOPs of the attention core: Q·Kᵀ and P·V, halved when causal.
static double getAttentionFlops(int64_t batch, int64_t numHeads, int64_t qLen,
                                int64_t kvLen, int64_t headDim,
                                int64_t valueDim, bool causal) {
  double flops = 2.0 * static_cast<double>(batch) * numHeads * qLen * kvLen *
                 static_cast<double>(headDim + valueDim);
  return causal ? flops / 2 : flops;
}

LogicalResult FunctionEvaluator::evaluate(MhaOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  const RefTensor *wq = x ? lookup(op, op.getWq(), "wq") : nullptr;
  const RefTensor *wk = wq ? lookup(op, op.getWk(), "wk") : nullptr;
  const RefTensor *wv = wk ? lookup(op, op.getWv(), "wv") : nullptr;
  const RefTensor *wo = wv ? lookup(op, op.getWo(), "wo") : nullptr;
  if (!wo)
    return failure();
  int64_t batch = x->shape[0], len = x->shape[1], embed = x->shape[2];
  auto numHeads = static_cast<int64_t>(op.getNumHeads());
  int64_t numKvHeads = op.getNumKvHeadsOrDefault();
  if (failed(checkEqual(op, "wq row count", wq->shape[0],
                        "input embedding size", embed)) ||
      failed(checkEqual(op, "wk row count", wk->shape[0],
                        "input embedding size", embed)) ||
      failed(checkEqual(op, "wv row count", wv->shape[0],
                        "input embedding size", embed)) ||
      failed(checkHeadRatio(op, "num_heads", numHeads, "num_kv_heads",
                            numKvHeads)))
    return failure();
  // The head layout is static and checked by the verifier.
  int64_t headDim = wq->shape[1] / numHeads;
  int64_t valueDim = wv->shape[1] / numKvHeads;
  if (failed(checkEqual(op, "wk column count", wk->shape[1],
                        "num_kv_heads x head size", numKvHeads * headDim)) ||
      failed(checkEqual(op, "wo row count", wo->shape[0],
                        "num_heads x value head size", numHeads * valueDim)))
    return failure();
  bool causal = op.getCausal();
  double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  if (std::optional<APFloat> scaleAttr = op.getScale())
    scale = toDouble(*scaleAttr);

  double rows = static_cast<double>(batch) * len;
  result.flops +=
      getAttentionFlops(batch, numHeads, len, len, headDim, valueDim, causal) +
      2.0 * rows * embed * (wq->shape[1] + wk->shape[1] + wv->shape[1]) +
      2.0 * rows * wo->shape[0] * wo->shape[1];
  RefTensor out = produce({batch, len, wo->shape[1]}, [&] {
    return refMha(*x, *wq, *wk, *wv, *wo, numHeads, numKvHeads, scale, causal);
  });
  return setResult(op, op.getResult(), "result", std::move(out));
}

LogicalResult FunctionEvaluator::evaluate(LinearOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  const RefTensor *w = x ? lookup(op, op.getWeight(), "weight") : nullptr;
  if (!w)
    return failure();
  const RefTensor *bias = nullptr;
  if (op.getBias() && !(bias = lookup(op, op.getBias(), "bias")))
    return failure();
  if (x->shape.size() < 2)
    return invalid(op, "input must have rank 2 or 3");
  int64_t in = x->shape.back(), out = w->shape[1];
  if (failed(checkEqual(op, "weight row count", w->shape[0],
                        "input contraction size", in)) ||
      (bias && failed(checkEqual(op, "bias size", bias->shape[0],
                                 "weight column count", out))))
    return failure();
  std::vector<int64_t> shape = x->shape;
  shape.back() = out;
  double rows = 1;
  for (int64_t dim : ArrayRef<int64_t>(x->shape).drop_back())
    rows *= static_cast<double>(dim);
  result.flops += 2.0 * rows * in * out;
  RefTensor y =
      produce(std::move(shape), [&] { return refLinear(*x, *w, bias); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(SplitHeadsOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  if (!x)
    return failure();
  // H and D are static dimensions of the result type (verifier C2).
  RankedTensorType resultType = op.getResult().getType();
  int64_t numHeads = resultType.getDimSize(1);
  int64_t headDim = resultType.getDimSize(3);
  if (numHeads <= 0)
    return invalid(op,
                   "result head count " + Twine(numHeads) + " is not positive");
  if (failed(checkEqual(op, "input feature size", x->shape[2],
                        "result heads x head size", numHeads * headDim)))
    return failure();
  RefTensor y = produce({x->shape[0], numHeads, x->shape[1], headDim},
                        [&] { return refSplitHeads(*x, numHeads); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(MergeHeadsOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  if (!x)
    return failure();
  ArrayRef<int64_t> s = x->shape;
  RefTensor y =
      produce({s[0], s[2], s[1] * s[3]}, [&] { return refMergeHeads(*x); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(ScoresOp op) {
  const RefTensor *q = lookup(op, op.getQuery(), "query");
  const RefTensor *k = q ? lookup(op, op.getKey(), "key") : nullptr;
  if (!k)
    return failure();
  ArrayRef<int64_t> qs = q->shape, ks = k->shape;
  if (failed(
          checkEqual(op, "key batch size", ks[0], "query batch size", qs[0])) ||
      failed(
          checkEqual(op, "key head size", ks[3], "query head size", qs[3])) ||
      failed(checkHeadRatio(op, "query head count", qs[1], "key head count",
                            ks[1])))
    return failure();
  double scale = op.getScaleOrDefault();
  std::optional<double> softcap;
  if (std::optional<APFloat> cap = op.getSoftcap())
    softcap = toDouble(*cap);
  result.flops += 2.0 * static_cast<double>(qs[0]) * qs[1] * qs[2] * ks[2] *
                  static_cast<double>(qs[3]);
  RefTensor s = produce({qs[0], qs[1], qs[2], ks[2]}, [&] {
    return refScores(*q, *k, scale, softcap, ScoreModFn());
  });
  return setResult(op, op.getResult(), "result", std::move(s));
}

/// Returns the (left, right) band of an optional `window` attribute.
static std::optional<std::pair<int64_t, int64_t>>
getWindowSpec(std::optional<ArrayRef<int64_t>> window) {
  // The verifier guarantees two elements.
  if (!window || window->size() != 2)
    return std::nullopt;
  return std::make_pair((*window)[0], (*window)[1]);
}

/// Whether `value` is an i1 tensor (a boolean mask).
static bool isBoolTensor(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType().isInteger(1);
}

LogicalResult FunctionEvaluator::evaluate(MaskOp op) {
  const RefTensor *scores = lookup(op, op.getScores(), "scores");
  if (!scores)
    return failure();
  const RefTensor *mask = nullptr, *kvLens = nullptr;
  if (op.getMask() && !(mask = lookup(op, op.getMask(), "mask")))
    return failure();
  if (op.getKvLens() && !(kvLens = lookup(op, op.getKvLens(), "kv_lens")))
    return failure();
  ScoresDimNames names{"scores batch size", "scores head count",
                       "scores query length", "scores key length"};
  if (failed(checkMaskShapes(op, op.getMask(), mask, kvLens, scores->shape,
                             names)))
    return failure();
  MaskSpec spec;
  spec.mask = mask;
  spec.maskIsBool = mask && isBoolTensor(op.getMask());
  spec.kvLens = kvLens;
  spec.causal = op.getCausal();
  spec.window = getWindowSpec(op.getWindow());
  RefTensor y = produce(scores->shape, [&] { return refMask(*scores, spec); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(SoftmaxOp op) {
  const RefTensor *x = lookup(op, op.getInput(), "input");
  if (!x)
    return failure();
  if (x->shape.empty())
    return invalid(op, "input must have rank >= 1");
  RefTensor y = produce(x->shape, [&] { return refSoftmax(*x, nullptr); });
  return setResult(op, op.getResult(), "result", std::move(y));
}

LogicalResult FunctionEvaluator::evaluate(ContextOp op) {
  const RefTensor *p = lookup(op, op.getProbs(), "probs");
  const RefTensor *v = p ? lookup(op, op.getValue(), "value") : nullptr;
  if (!v)
    return failure();
  ArrayRef<int64_t> ps = p->shape, vs = v->shape;
  if (failed(checkEqual(op, "value batch size", vs[0], "probs batch size",
                        ps[0])) ||
      failed(checkEqual(op, "value sequence length", vs[2], "probs key length",
                        ps[3])) ||
      failed(checkHeadRatio(op, "probs head count", ps[1], "value head count",
                            vs[1])))
    return failure();
  result.flops += 2.0 * static_cast<double>(ps[0]) * ps[1] * ps[2] * ps[3] *
                  static_cast<double>(vs[3]);
  RefTensor out =
      produce({ps[0], ps[1], ps[2], vs[3]}, [&] { return refContext(*p, *v); });
  return setResult(op, op.getResult(), "result", std::move(out));
}

LogicalResult FunctionEvaluator::evaluate(SdpaOp op) {
  const RefTensor *q = lookup(op, op.getQuery(), "query");
  const RefTensor *k = q ? lookup(op, op.getKey(), "key") : nullptr;
  const RefTensor *v = k ? lookup(op, op.getValue(), "value") : nullptr;
  if (!v)
    return failure();
  const RefTensor *mask = nullptr, *kvLens = nullptr;
  if (op.getMask() && !(mask = lookup(op, op.getMask(), "mask")))
    return failure();
  if (op.getKvLens() && !(kvLens = lookup(op, op.getKvLens(), "kv_lens")))
    return failure();
  ArrayRef<int64_t> qs = q->shape, ks = k->shape, vs = v->shape;
  if (failed(
          checkEqual(op, "key batch size", ks[0], "query batch size", qs[0])) ||
      failed(checkEqual(op, "value batch size", vs[0], "query batch size",
                        qs[0])) ||
      failed(
          checkEqual(op, "key head size", ks[3], "query head size", qs[3])) ||
      failed(
          checkEqual(op, "value head count", vs[1], "key head count", ks[1])) ||
      failed(checkHeadRatio(op, "query head count", qs[1], "key head count",
                            ks[1])) ||
      failed(checkEqual(op, "value sequence length", vs[2],
                        "key sequence length", ks[2])))
    return failure();
  int64_t batch = qs[0], numHeads = qs[1], qLen = qs[2], kvLen = ks[2];
  ScoresDimNames names{"query batch size", "query head count",
                       "query sequence length", "key sequence length"};
  if (failed(checkMaskShapes(op, op.getMask(), mask, kvLens,
                             {batch, numHeads, qLen, kvLen}, names)))
    return failure();

  SdpaSpec spec{};
  spec.scale = op.getScaleOrDefault();
  if (std::optional<APFloat> cap = op.getSoftcap())
    spec.softcap = toDouble(*cap);
  ScoreModProgram *scoreMod = nullptr;
  if (auto it = scoreMods.find(op); it != scoreMods.end()) {
    scoreMod = it->second.get();
    spec.scoreMod = [scoreMod](double score, int64_t b, int64_t h, int64_t qIdx,
                               int64_t kvIdx) {
      return scoreMod->run(score, b, h, qIdx, kvIdx);
    };
  }
  spec.mask.mask = mask;
  spec.mask.maskIsBool = mask && isBoolTensor(op.getMask());
  spec.mask.kvLens = kvLens;
  spec.mask.causal = op.getCausal();
  spec.mask.window = getWindowSpec(op.getWindow());

  result.flops += getAttentionFlops(batch, numHeads, qLen, kvLen, qs[3], vs[3],
                                    op.getCausal());
  bool wantLse = static_cast<bool>(op.getLse());
  RefTensor lse;
  lse.shape = {batch, numHeads, qLen};
  RefTensor out = produce({batch, numHeads, qLen, vs[3]}, [&] {
    return refSdpa(*q, *k, *v, spec, wantLse ? &lse : nullptr);
  });
  if (scoreMod && !scoreMod->getError().empty())
    return fail(EvalStatus::Invalid, scoreMod->getError());
  if (failed(setResult(op, op.getOut(), "out", std::move(out))))
    return failure();
  if (wantLse)
    return setResult(op, op.getLse(), "lse", std::move(lse));
  return success();
}

LogicalResult FunctionEvaluator::evaluate(arith::ConstantOp op) {
  // prepare() admits only dense tensor constants of float or integer type.
  auto attr = cast<DenseElementsAttr>(op.getValue());
  auto type = cast<RankedTensorType>(attr.getType());
  RefTensor tensor;
  tensor.shape.assign(type.getShape().begin(), type.getShape().end());
  if (computeValues) {
    Type elementType = type.getElementType();
    tensor.data.reserve(type.getNumElements());
    if (isa<FloatType>(elementType)) {
      for (const APFloat &value : attr.getValues<APFloat>())
        tensor.data.push_back(toDouble(value));
    } else if (elementType.isInteger(1)) {
      for (bool value : attr.getValues<bool>())
        tensor.data.push_back(value ? 1.0 : 0.0);
    } else {
      bool isUnsigned = elementType.isUnsignedInteger();
      for (const APInt &value : attr.getValues<APInt>())
        tensor.data.push_back(isUnsigned
                                  ? static_cast<double>(value.getZExtValue())
                                  : static_cast<double>(value.getSExtValue()));
    }
  }
  return setResult(op, op.getResult(), "result", std::move(tensor));
}

LogicalResult FunctionEvaluator::evaluate(tensor::CastOp op) {
  const RefTensor *source = lookup(op, op.getSource(), "source");
  if (!source)
    return failure();
  return setResult(op, op.getResult(), "result", *source);
}

LogicalResult FunctionEvaluator::evaluate(func::ReturnOp op) {
  for (auto [index, operand] : llvm::enumerate(op.getOperands())) {
    const RefTensor *tensor =
        lookup(op, operand, ("operand #" + Twine(index)).str());
    if (!tensor)
      return failure();
    result.results.push_back(*tensor);
  }
  return success();
}

LogicalResult FunctionEvaluator::evaluate(Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<MhaOp, LinearOp, SplitHeadsOp, MergeHeadsOp, ScoresOp, MaskOp,
            SoftmaxOp, ContextOp, SdpaOp, arith::ConstantOp, tensor::CastOp,
            func::ReturnOp>(
          [&](auto concreteOp) { return evaluate(concreteOp); })
      .Default([&](Operation *other) {
        return fail(EvalStatus::Unsupported,
                    formatOpMessage(other, "has no float64 reference"));
      });
}

/// Whether `op` is an arith.constant the interpreter can evaluate: a dense
/// tensor of floats, or of integers of at most 64 bits.
static bool isSupportedConstant(arith::ConstantOp op) {
  auto attr = dyn_cast<DenseElementsAttr>(op.getValue());
  if (!attr || !isa<RankedTensorType>(attr.getType()))
    return false;
  Type elementType = attr.getElementType();
  if (isa<FloatType>(elementType))
    return true;
  if (isa<IndexType>(elementType))
    return true;
  auto intType = dyn_cast<IntegerType>(elementType);
  return intType && intType.getWidth() <= 64;
}

LogicalResult FunctionEvaluator::prepare() {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return fail(
        EvalStatus::Unsupported,
        formatLocation(func.getLoc()) + ": function @" +
            func.getSymName().str() +
            (func.isExternal() ? " has no body" : " has more than one block") +
            ": no float64 reference for it");
  for (Operation &op : func.getBody().front()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      if (!isSupportedConstant(constant))
        return fail(EvalStatus::Unsupported,
                    formatOpMessage(&op, "with a value other than a dense "
                                         "int or float tensor has no float64 "
                                         "reference"));
      continue;
    }
    if (!isa<MhaOp, LinearOp, SplitHeadsOp, MergeHeadsOp, ScoresOp, MaskOp,
             SoftmaxOp, ContextOp, SdpaOp, tensor::CastOp, func::ReturnOp>(op))
      return fail(EvalStatus::Unsupported,
                  formatOpMessage(&op, "has no float64 reference"));
    for (Type type : op.getResultTypes())
      if (!isa<RankedTensorType>(type))
        return fail(EvalStatus::Unsupported,
                    formatOpMessage(&op, "with a result of type " +
                                             formatType(type) +
                                             " has no float64 reference"));
    auto sdpa = dyn_cast<SdpaOp>(op);
    if (sdpa && !sdpa.getTileOrigin().empty())
      return fail(EvalStatus::Unsupported,
                  formatOpMessage(&op, "with a tile_origin (a tile of a "
                                       "larger attention) has no float64 "
                                       "reference"));
    if (!sdpa || !sdpa.getScoreModBlock())
      continue;
    std::string message;
    std::unique_ptr<ScoreModProgram> program =
        ScoreModProgram::compile(sdpa, *sdpa.getScoreModBlock(), message);
    if (!program)
      return fail(EvalStatus::Unsupported, std::move(message));
    scoreMods[sdpa] = std::move(program);
  }
  return success();
}

LogicalResult FunctionEvaluator::bindArguments(ArrayRef<RefTensor> args) {
  std::string name = "function @" + func.getSymName().str();
  Block &entry = func.getBody().front();
  if (args.size() != entry.getNumArguments())
    return fail(EvalStatus::Invalid,
                formatLocation(func.getLoc()) + ": " + name + " takes " +
                    std::to_string(entry.getNumArguments()) +
                    " arguments, got " + std::to_string(args.size()));
  for (auto [arg, tensor] : llvm::zip_equal(entry.getArguments(), args)) {
    std::string prefix = formatLocation(arg.getLoc()) + ": " + name +
                         " argument #" + std::to_string(arg.getArgNumber());
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      return fail(EvalStatus::Unsupported, prefix + " of type " +
                                               formatType(arg.getType()) +
                                               " has no float64 reference");
    if (!matchesType(tensor.shape, type))
      return fail(EvalStatus::Invalid,
                  prefix + " has shape " + formatShape(tensor.shape) +
                      ", which does not match its type " + formatType(type));
    if (computeValues &&
        static_cast<int64_t>(tensor.data.size()) != tensor.numElements())
      return fail(EvalStatus::Invalid,
                  prefix + " holds " + std::to_string(tensor.data.size()) +
                      " values, but its shape " + formatShape(tensor.shape) +
                      " has " + std::to_string(tensor.numElements()));
    RefTensor bound;
    bound.shape = tensor.shape;
    if (computeValues)
      bound.data = tensor.data;
    values[arg] = std::move(bound);
  }
  return success();
}

EvalResult FunctionEvaluator::run(ArrayRef<RefTensor> args) {
  func.walk([&](Operation *op) {
    if (op->getName().getDialectNamespace() ==
        AttnDialect::getDialectNamespace()) {
      result.hasAttnOps = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (!result.hasAttnOps) {
    (void)fail(EvalStatus::Unsupported,
               "function @" + func.getSymName().str() +
                   " has no attn ops: no float64 reference for it");
    return std::move(result);
  }
  if (succeeded(prepare()) && succeeded(bindArguments(args))) {
    for (Operation &op : func.getBody().front())
      if (failed(evaluate(&op)))
        break;
  }
  if (result.status != EvalStatus::Ok)
    result.results.clear();
  return std::move(result);
}

EvalResult mlir::attn::runtime::evaluateFunction(func::FuncOp func,
                                                 ArrayRef<RefTensor> args,
                                                 bool computeValues) {
  return FunctionEvaluator(func, computeValues).run(args);
}
