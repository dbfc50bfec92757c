//===- OpTableTest.cpp - ONNX op table against the schema versions --------===//
//
// Every (op, version) an import function is registered for is a real
// since-version of the op in OnnxSchemaVersions.inc, and a node is imported
// by the function of the schema version in effect at its opset, never by
// that of an older version.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/OpTable.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kiln::onnxfe {
namespace {

TEST(OnnxSchemaVersions, AreAscendingAndWithinTheNewestOpset) {
  llvm::SmallVector<llvm::StringRef> opTypes = getSchemaOpTypes();
  ASSERT_GT(opTypes.size(), 150u);
  EXPECT_TRUE(std::is_sorted(opTypes.begin(), opTypes.end()));
  for (llvm::StringRef opType : opTypes) {
    llvm::ArrayRef<int64_t> versions = getSchemaVersions(opType);
    ASSERT_FALSE(versions.empty()) << opType.str();
    EXPECT_TRUE(std::is_sorted(versions.begin(), versions.end()))
        << opType.str();
    EXPECT_GE(versions.front(), 1) << opType.str();
    EXPECT_LE(versions.back(), kMaxSupportedOpset) << opType.str();
  }
}

TEST(OnnxSchemaVersions, KnownOps) {
  EXPECT_EQ(getSchemaVersions("ReduceMax"),
            llvm::ArrayRef<int64_t>({1, 11, 12, 13, 18, 20}));
  EXPECT_EQ(getSchemaVersions("Split"),
            llvm::ArrayRef<int64_t>({1, 2, 11, 13, 18}));
  EXPECT_TRUE(getSchemaVersions("Frobnicate").empty());
  // The version in effect is the largest since-version not above the opset.
  EXPECT_EQ(getSchemaVersion("ReduceMax", 17), 13);
  EXPECT_EQ(getSchemaVersion("ReduceMax", 18), 18);
  EXPECT_EQ(getSchemaVersion("ReduceMax", 19), 18);
  EXPECT_EQ(getSchemaVersion("ReduceMax", 28), 20);
  EXPECT_EQ(getSchemaVersion("LayerNormalization", 16), 0);
  EXPECT_EQ(getSchemaVersion("Frobnicate", 13), 0);
}

TEST(OpTable, EveryRegisteredVersionIsASchemaVersion) {
  auto registered = OpTable::get().getRegistered();
  ASSERT_FALSE(registered.empty());
  for (const auto &[opType, version] : registered) {
    llvm::ArrayRef<int64_t> versions = getSchemaVersions(opType);
    EXPECT_TRUE(llvm::is_contained(versions, version))
        << opType << " is registered for version " << version
        << ", which is no since-version of it";
  }
}

TEST(OpTable, EveryRegisteredVersionIsFoundAtItsOpset) {
  const OpTable &table = OpTable::get();
  for (const auto &[opType, version] : table.getRegistered()) {
    OpTable::Lookup found = table.lookup(opType, version);
    EXPECT_EQ(found.schemaVersion, version) << opType;
    EXPECT_NE(found.fn, nullptr) << opType << " version " << version;
  }
}

TEST(OpTable, LookupPicksTheVersionInEffect) {
  const OpTable &table = OpTable::get();
  // ReduceMax takes axes as an attribute up to version 13 and as an input
  // from 18: opset 18 must not reuse the opset-13 import.
  OpTable::Lookup at13 = table.lookup("ReduceMax", 13);
  OpTable::Lookup at17 = table.lookup("ReduceMax", 17);
  OpTable::Lookup at18 = table.lookup("ReduceMax", 18);
  OpTable::Lookup at28 = table.lookup("ReduceMax", 28);
  EXPECT_EQ(at17.schemaVersion, 13);
  EXPECT_EQ(at17.fn, at13.fn);
  EXPECT_EQ(at18.schemaVersion, 18);
  ASSERT_NE(at18.fn, nullptr);
  EXPECT_NE(at18.fn, at13.fn);
  EXPECT_EQ(at28.schemaVersion, 20);
  EXPECT_EQ(at28.fn, at18.fn);
  // ReduceSum moved axes to an input in 13 already.
  EXPECT_NE(table.lookup("ReduceSum", 13).fn, table.lookup("ReduceSum", 12).fn);
  EXPECT_EQ(table.lookup("ReduceSum", 18).fn, table.lookup("ReduceSum", 13).fn);
}

TEST(OpTable, UnregisteredVersionsAreRefused) {
  const OpTable &table = OpTable::get();
  // Tile 1 (tiles and axis inputs) is not imported; Tile 6 is.
  OpTable::Lookup tile1 = table.lookup("Tile", 5);
  EXPECT_EQ(tile1.schemaVersion, 1);
  EXPECT_EQ(tile1.fn, nullptr);
  EXPECT_NE(table.lookup("Tile", 6).fn, nullptr);
  EXPECT_TRUE(table.hasOp("Tile"));
  // An ONNX op no version of which is imported.
  EXPECT_FALSE(table.hasOp("Det"));
  EXPECT_EQ(table.lookup("Det", 13).schemaVersion, 11);
  EXPECT_EQ(table.lookup("Det", 13).fn, nullptr);
  // An op before its first version, an op ONNX does not have, and an opset
  // newer than the table.
  EXPECT_EQ(table.lookup("LayerNormalization", 16).schemaVersion, 0);
  EXPECT_EQ(table.lookup("LayerNormalization", 16).fn, nullptr);
  EXPECT_EQ(table.lookup("Frobnicate", 13).fn, nullptr);
  EXPECT_NE(table.lookup("Relu", kMaxSupportedOpset).fn, nullptr);
  EXPECT_EQ(table.lookup("Relu", kMaxSupportedOpset + 1).fn, nullptr);
}

} // namespace
} // namespace kiln::onnxfe
